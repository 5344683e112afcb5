package io.warrenmq.amqp.types;

import static io.warrenmq.amqp.testing.Bytes.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.impl.ValueReader;
import com.rabbitmq.client.impl.ValueWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.testing.ClientValues;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FieldCodecTest {

  /** One value of every type letter, in the Java type that letter maps to. */
  static List<Object[]> everyTypeLetter() {
    return List.of(
        new Object[] {'t', true},
        new Object[] {'b', (byte) -7},
        new Object[] {'B', new UnsignedByte(250)},
        new Object[] {'s', (short) -300},
        new Object[] {'u', new UnsignedShort(65000)},
        new Object[] {'I', -70000},
        new Object[] {'i', new UnsignedInt(4_000_000_000L)},
        new Object[] {'l', Long.MIN_VALUE},
        new Object[] {'f', 1.5f},
        new Object[] {'d', -2.25d},
        new Object[] {'D', new BigDecimal("-123.4567")},
        new Object[] {'S', LongString.of("héllo")},
        new Object[] {'T', new Timestamp(1_700_000_000L)},
        new Object[] {'F', FieldTable.of(Map.of("k", 1))},
        new Object[] {'A', List.of(1, LongString.of("x"))},
        new Object[] {'x', new ByteArray(new byte[] {1, 2, 3})},
        new Object[] {'V', null});
  }

  @Nested
  class RoundTrip {
    @ParameterizedTest(name = "''{0}''")
    @MethodSource("io.warrenmq.amqp.types.FieldCodecTest#everyTypeLetter")
    void everyTypeLetterKeepsItsLetterAndValue(char letter, Object value) {
      byte[] bytes = written(out -> FieldCodec.writeValue(out, value));
      assertThat((char) bytes[0]).isEqualTo(letter);

      Object decoded = read(bytes, FieldCodec::readValue);
      assertThat(decoded).isEqualTo(value);
      assertThat(written(out -> FieldCodec.writeValue(out, decoded))).isEqualTo(bytes);
    }

    @Test
    void plainStringIsWrittenAsLongString() {
      byte[] bytes = written(out -> FieldCodec.writeValue(out, "abc"));
      assertThat(bytes).containsExactly('S', 0, 0, 0, 3, 'a', 'b', 'c');
      assertThat(read(bytes, FieldCodec::readValue)).isEqualTo(LongString.of("abc"));
    }

    @Test
    void plainMapIsWrittenAsTable() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("a", "b");
      map.put("n", Map.of("deep", 1L));
      byte[] bytes = written(out -> FieldCodec.writeValue(out, map));
      assertThat((char) bytes[0]).isEqualTo('F');
      assertThat(read(bytes, FieldCodec::readValue)).isEqualTo(FieldTable.of(map));
    }

    @Test
    void tableKeepsInsertionOrder() {
      FieldTable table = FieldTable.EMPTY.with("z", 1).with("a", 2).with("m", 3);
      FieldTable decoded =
          read(written(out -> FieldCodec.writeTable(out, table)), FieldCodec::readTable);
      assertThat(decoded.asMap().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void nullTableIsWrittenAsEmptyTable() {
      assertThat(written(out -> FieldCodec.writeTable(out, (FieldTable) null)))
          .containsExactly(0, 0, 0, 0);
    }

    @Test
    void repeatedKeyKeepsTheFirstValueAsTheJavaClientDoes() {
      byte[] bytes = {0, 0, 0, 14, 1, 'k', 'I', 0, 0, 0, 1, 1, 'k', 'I', 0, 0, 0, 2};
      assertThat(read(bytes, FieldCodec::readTable).asMap()).containsExactly(Map.entry("k", 1));
    }

    @Test
    void shortStringOf255BytesIsAcceptedAnd256Rejected() {
      String max = "é".repeat(127) + "a"; // 255 bytes
      assertThat(read(written(out -> FieldCodec.writeShortStr(out, max)), FieldCodec::readShortStr))
          .isEqualTo(max);
      assertThatThrownBy(() -> written(out -> FieldCodec.writeShortStr(out, max + "a")))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedShortStringIsCutAtACharacterBoundary() {
      String text = "aa" + "é".repeat(200); // 402 bytes; byte 255 is inside an "é"
      byte[] bytes = written(out -> FieldCodec.writeShortStrTruncated(out, text));
      assertThat(bytes[0] & 0xFF).isEqualTo(254);
      assertThat(read(bytes, FieldCodec::readShortStr)).isEqualTo("aa" + "é".repeat(126));
    }
  }

  @Nested
  class AgainstTheJavaClient {
    @ParameterizedTest(name = "''{0}''")
    @MethodSource("io.warrenmq.amqp.types.FieldCodecTest#everyTypeLetter")
    void clientReadsWhatWeWrite(char letter, Object value) throws IOException {
      byte[] bytes = written(out -> FieldCodec.writeValue(out, value));
      Object clientValue = clientReadValue(bytes);
      assertThat(ClientValues.deepEquals(ClientValues.toClient(value), clientValue))
          .as("client read %s as %s", value, clientValue)
          .isTrue();
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("io.warrenmq.amqp.types.FieldCodecTest#everyTypeLetter")
    void weReadWhatTheClientWrites(char letter, Object value) throws IOException {
      // the client has no writer for 'B', 'u' and 'i': it would write them as other types
      if ("Bui".indexOf(letter) >= 0) {
        return;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      new ValueWriter(new DataOutputStream(bytes)).writeFieldValue(ClientValues.toClient(value));
      assertThat(bytes.toByteArray()).isEqualTo(written(out -> FieldCodec.writeValue(out, value)));
      assertThat(read(bytes.toByteArray(), FieldCodec::readValue)).isEqualTo(value);
    }

    private static Object clientReadValue(byte[] bytes) throws IOException {
      // ValueReader reads single values only inside tables: wrap the value in one
      byte[] table =
          written(
              out -> out.writeInt(2 + bytes.length).writeByte(1).writeByte('v').writeBytes(bytes));
      Map<String, Object> map =
          new ValueReader(new DataInputStream(new ByteArrayInputStream(table))).readTable();
      return map.get("v");
    }
  }

  @Nested
  class Limits {
    @Test
    void thirtyTwoNestedLevelsAreAcceptedByUsAndTheClient() throws IOException {
      byte[] bytes = written(out -> FieldCodec.writeTable(out, nested(32)));
      assertThat(read(bytes, FieldCodec::readTable)).isEqualTo(nested(32));
      new ValueReader(new DataInputStream(new ByteArrayInputStream(bytes))).readTable();
    }

    @Test
    void thirtyThreeNestedLevelsAreRejected() {
      byte[] bytes = nestedBytes(33);
      // the limit of RabbitMQ and of newer Java clients (ValueReader's nesting limit came after
      // amqp-client 5.27.0, so the oracle cannot be asked here)
      assertSyntaxError(() -> read(bytes, FieldCodec::readTable), "nest deeper than 32");
    }

    @Test
    void nestingTooDeepIsRefusedWhenWriting() {
      assertThatThrownBy(() -> FieldTable.of(Map.of("k", nestedMap(33))))
          .isInstanceOf(IllegalArgumentException.class);
      List<Object> array = new ArrayList<>();
      List<Object> inner = array;
      for (int i = 0; i < 40; i++) {
        List<Object> next = new ArrayList<>();
        inner.add(next);
        inner = next;
      }
      assertThatThrownBy(() -> written(out -> FieldCodec.writeArray(out, array)))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longStringClaimingTwoGibibytesIsRejectedWithoutAllocating() {
      byte[] bytes = {'S', (byte) 0x80, 0, 0, 0, 'a', 'b'};
      long before = allocatedBytes();
      assertSyntaxError(() -> read(bytes, FieldCodec::readValue), "longstr overruns the frame");
      assertThat(allocatedBytes() - before).isLessThan(1 << 20);
    }

    @Test
    void tableOverrunningItsBufferIsRejected() {
      assertSyntaxError(
          () -> read(new byte[] {0, 0, 0, 10, 1, 'k'}, FieldCodec::readTable),
          "SYNTAX_ERROR - field table overruns the frame");
      assertSyntaxError(
          () ->
              read(
                  new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                  FieldCodec::readTable),
          "field table overruns the frame");
    }

    @Test
    void arrayOverrunningItsBufferIsRejected() {
      assertSyntaxError(
          () -> read(new byte[] {0, 0, 0, 9, 't', 1}, FieldCodec::readArray),
          "field array overruns the frame");
    }

    @Test
    void shortStringOverrunningItsBufferIsRejected() {
      assertSyntaxError(
          () -> read(new byte[] {5, 'a', 'b'}, FieldCodec::readShortStr), "shortstr overruns");
    }

    @Test
    void valueOverrunningItsTableIsRejected() {
      // the table claims 4 bytes: key "k" and an 'I' whose 4 value bytes lie outside the table
      byte[] bytes = {0, 0, 0, 3, 1, 'k', 'I', 0, 0, 0, 1};
      assertSyntaxError(() -> read(bytes, FieldCodec::readTable), "field table is truncated");
    }

    @Test
    void unknownTypeLetterIsRejected() {
      byte[] bytes = {0, 0, 0, 3, 1, 'k', 'Z'};
      assertSyntaxError(
          () -> read(bytes, FieldCodec::readTable), "unknown field type 'Z' in field table");
    }

    @Test
    void decimalThatDoesNotFitIsRefusedWhenWriting() {
      assertThatThrownBy(() -> written(out -> FieldCodec.writeValue(out, new BigDecimal("1e10"))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () -> written(out -> FieldCodec.writeValue(out, new BigDecimal("12345678901.5"))))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valueWithoutATypeLetterIsRefused() {
      assertThatThrownBy(() -> written(out -> FieldCodec.writeValue(out, new Object())))
          .isInstanceOf(IllegalArgumentException.class);
    }

    private static long allocatedBytes() {
      return ((com.sun.management.ThreadMXBean)
              java.lang.management.ManagementFactory.getThreadMXBean())
          .getCurrentThreadAllocatedBytes();
    }
  }

  static FieldTable nested(int levels) {
    FieldTable t = FieldTable.of(Map.of("leaf", 1));
    for (int i = 1; i < levels; i++) {
      t = FieldTable.EMPTY.with("n", t);
    }
    return FieldTable.EMPTY.with("n", t);
  }

  static Map<String, Object> nestedMap(int levels) {
    Map<String, Object> m = Map.of("leaf", 1);
    for (int i = 1; i < levels; i++) {
      m = Map.of("n", m);
    }
    return m;
  }

  /**
   * A top-level table holding {@code levels} nested tables, built by hand (we refuse to write it).
   */
  static byte[] nestedBytes(int levels) {
    byte[] inner = {0, 0, 0, 0};
    for (int i = 0; i < levels; i++) {
      byte[] entry = new byte[4 + 3 + inner.length];
      int len = 3 + inner.length;
      entry[0] = (byte) (len >>> 24);
      entry[1] = (byte) (len >>> 16);
      entry[2] = (byte) (len >>> 8);
      entry[3] = (byte) len;
      entry[4] = 1;
      entry[5] = 'n';
      entry[6] = 'F';
      System.arraycopy(inner, 0, entry, 7, inner.length);
      inner = entry;
    }
    return inner;
  }

  static <T> T read(byte[] bytes, Function<ByteBuf, T> reader) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      return reader.apply(buf);
    } finally {
      buf.release();
    }
  }

  static void assertSyntaxError(Runnable r, String text) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            AmqpException.class,
            e -> {
              assertThat(e.replyCode()).isEqualTo(ReplyCode.SYNTAX_ERROR);
              assertThat(e.connectionLevel()).isTrue();
              assertThat(e.replyText()).contains(text);
            });
  }
}
