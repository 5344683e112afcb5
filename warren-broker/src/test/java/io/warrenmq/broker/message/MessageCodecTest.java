package io.warrenmq.broker.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.types.FieldTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

  static ByteBuf props(Map<String, Object> headers) {
    ByteBuf out = Unpooled.buffer();
    BasicPropertiesCodec.encode(out, BasicProperties.EMPTY.withHeaders(FieldTable.of(headers)));
    return out;
  }

  static ByteBuf body(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  /** Encodes {@code m}, checks what {@link Envelope} and {@link MessageCodec#layout} read back. */
  Envelope roundTrip(Message m, ByteBuf[] record) {
    record[0] = MessageCodec.encode(alloc, m, 0L);
    Envelope e = Envelope.parse(record[0]);
    int[] l = MessageCodec.layout(record[0], new int[8]);
    assertThat(l[5]).isEqualTo(e.properties().readableBytes());
    assertThat(record[0].toString(l[6], l[7], StandardCharsets.UTF_8)).isEqualTo(e.body().toString(StandardCharsets.UTF_8));
    return e;
  }

  @Test
  void aMessageWithoutBccKeysIsAVersionOneRecord() {
    ByteBuf p = props(Map.of("CC", List.of("cc")));
    ByteBuf b = body("hello");
    Message m = new Message("x", "k", p, b, 1L);
    ByteBuf[] record = new ByteBuf[1];
    Envelope e = roundTrip(m, record);
    assertThat(record[0].getByte(0)).isEqualTo((byte) MessageCodec.VERSION);
    assertThat(e.routing()).isNull();
    assertThat(m.routingKeys()).containsExactly("k", "cc");
    release(m, record[0], p, b);
  }

  @Test
  void bccKeysTravelInAVersionTwoRecordWhileTheHeaderIsNotStored() {
    ByteBuf p = props(Map.of("CC", List.of("cc"), "BCC", List.of("secret")));
    ByteBuf b = body("hello");
    Message m = new Message("x", "k", p, b, 1L);
    ByteBuf[] record = new ByteBuf[1];
    Envelope e = roundTrip(m, record);
    assertThat(record[0].getByte(0)).isEqualTo((byte) MessageCodec.VERSION_ROUTED);
    assertThat(e.routing()).isEqualTo(new Routing(List.of("k", "cc", "secret"), List.of("secret")));
    assertThat(e.routing().withoutBcc()).containsExactly("k", "cc");
    assertThat(e.decodeProperties().headers().containsKey("BCC")).isFalse();
    assertThat(e.body().toString(StandardCharsets.UTF_8)).isEqualTo("hello");
    release(m, record[0], p, b);
  }

  @Test
  void aDeadLettersKeysAndPropertiesAreStoredAsGiven() {
    ByteBuf p = props(Map.of("CC", List.of("cc"), "x-death", List.of("not an entry")));
    ByteBuf b = Unpooled.wrappedBuffer(new byte[20_000]); // a composite record
    Message m = new Message("dlx", "dlrk", p, b, 1L)
        .withRouting(new Routing(List.of("dlrk"), List.of("secret")))
        .withFinalProperties();
    ByteBuf[] record = new ByteBuf[1];
    Envelope e = roundTrip(m, record);
    assertThat(e.routing()).isEqualTo(new Routing(List.of("dlrk"), List.of("secret")));
    assertThat(e.properties()).isEqualTo(p);
    assertThat(e.bodySize()).isEqualTo(20_000);
    release(m, record[0], p, b);
  }

  @Test
  void aPublishedXDeathIsStoredAsRabbitMqReadsIt() {
    ByteBuf p = props(Map.of("x-death", List.of("not an entry"), "other", 1));
    ByteBuf b = body("");
    Message m = new Message("x", "k", p, b, 1L);
    ByteBuf[] record = new ByteBuf[1];
    Envelope e = roundTrip(m, record);
    FieldTable h = e.decodeProperties().headers();
    assertThat(h.getArray("x-death")).isEmpty();
    assertThat(h.getLong("other")).isEqualTo(1L);
    release(m, record[0], p, b);
  }

  static void release(Message m, ByteBuf record, ByteBuf... borrowed) {
    m.release();
    assertThat(record.release()).isTrue();
    for (ByteBuf buf : borrowed) {
      assertThat(buf.release()).isTrue();
    }
  }
}
