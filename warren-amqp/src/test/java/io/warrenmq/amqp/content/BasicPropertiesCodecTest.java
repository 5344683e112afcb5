package io.warrenmq.amqp.content;

import static io.warrenmq.amqp.testing.Bytes.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.testing.Bytes;
import io.warrenmq.amqp.testing.ClientValues;
import io.warrenmq.amqp.testing.Generators;
import io.warrenmq.amqp.types.FieldTable;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

class BasicPropertiesCodecTest {

  static final BasicProperties ALL =
      new BasicProperties(
          "application/json",
          "gzip",
          FieldTable.of(Map.of("x-retry", 3)),
          2,
          7,
          "corr-1",
          "amq.rabbitmq.reply-to",
          "60000",
          "msg-1",
          1_700_000_000L,
          "order.created",
          "guest",
          "billing",
          "cluster-a");

  @Example
  void everySubsetOfTheFourteenPropertiesRoundTripsAndAgreesWithTheClient() throws IOException {
    for (int mask = 0; mask < 1 << 14; mask++) {
      BasicProperties p = subset(mask);
      byte[] ours = written(out -> BasicPropertiesCodec.encode(out, p));

      assertThat(read(ours, BasicPropertiesCodec::decode)).isEqualTo(p);
      assertThat(ours).isEqualTo(clientEncode(toClient(p)));
      assertSameAsClient(p, clientDecode(ours));
      assertSummaryAgrees(ours, p);
    }
  }

  @Property(tries = 200)
  void randomPropertiesRoundTripAndAgreeWithTheClient(@ForAll("properties") BasicProperties p)
      throws IOException {
    byte[] ours = written(out -> BasicPropertiesCodec.encode(out, p));

    assertThat(read(ours, BasicPropertiesCodec::decode)).isEqualTo(p);
    assertSameAsClient(p, clientDecode(ours));
    assertThat(read(clientEncode(toClient(p)), BasicPropertiesCodec::decode)).isEqualTo(p);
    assertSummaryAgrees(ours, p);
  }

  @Example
  void decodeAndSummarizeLeaveTheReaderIndexAlone() {
    byte[] bytes = written(out -> BasicPropertiesCodec.encode(out, ALL));
    ByteBuf buf = Unpooled.buffer().writeBytes(new byte[] {9, 9}).writeBytes(bytes);
    try {
      buf.skipBytes(2);
      BasicPropertiesCodec.decode(buf);
      BasicPropertiesCodec.summarize(buf);
      assertThat(buf.readerIndex()).isEqualTo(2);
      assertThat(BasicPropertiesCodec.decode(buf)).isEqualTo(ALL);
    } finally {
      buf.release();
    }
  }

  @Example
  void emptyHeadersTableIsPresentAndDistinctFromAbsent() {
    BasicProperties p = BasicProperties.EMPTY.withHeaders(FieldTable.EMPTY);
    byte[] bytes = written(out -> BasicPropertiesCodec.encode(out, p));
    assertThat(bytes).containsExactly(0x20, 0, 0, 0, 0, 0);
    assertThat(read(bytes, BasicPropertiesCodec::decode).headers()).isEqualTo(FieldTable.EMPTY);
    assertThat(read(bytes, BasicPropertiesCodec::summarize).hasHeaders()).isTrue();
    assertThat(written(out -> BasicPropertiesCodec.encode(out, BasicProperties.EMPTY)))
        .containsExactly(0, 0);
  }

  @Example
  void zeroContinuationWordIsAccepted() {
    byte[] bytes = {0x10, 0x01, 0, 0, 2}; // delivery-mode, continuation, empty word, mode 2
    assertThat(read(bytes, BasicPropertiesCodec::decode))
        .isEqualTo(BasicProperties.EMPTY.withDeliveryMode(2));
    assertThat(read(bytes, BasicPropertiesCodec::summarize).deliveryMode()).isEqualTo(2);
  }

  @Example
  void propertyFlagsInAContinuationWordAreRejected() {
    byte[] bytes = {0x00, 0x01, (byte) 0x80, 0};
    assertError(bytes, ReplyCode.SYNTAX_ERROR, "unknown basic property flags");
  }

  @Example
  void missingFlagsAreAFrameError() {
    assertError(new byte[] {0x10}, ReplyCode.FRAME_ERROR, "no property flags");
  }

  @Example
  void truncatedPropertiesAreASyntaxError() {
    byte[] bytes = written(out -> BasicPropertiesCodec.encode(out, ALL));
    for (int cut = 2; cut < bytes.length; cut++) {
      assertError(Arrays.copyOf(bytes, cut), ReplyCode.SYNTAX_ERROR, "");
    }
  }

  @Example
  void summaryReportsAbsentPropertiesAsDefaults() {
    PropertiesSummary s =
        read(
            written(out -> BasicPropertiesCodec.encode(out, BasicProperties.EMPTY)),
            BasicPropertiesCodec::summarize);
    assertThat(s).isEqualTo(new PropertiesSummary(0, -1, null, false, 0, 0, false));
    assertThat(s.persistent()).isFalse();
  }

  @Example
  void summaryNamesTheTypeOfCcAndBccAndSeesXDeathWithoutDecodingTheHeaders() {
    FieldTable h = FieldTable.of(Map.of(
        "a", java.util.List.of("x"), "CC", java.util.List.of("k"), "BCC", "text", "x-death", 1, "z", Map.of("CC", 1)));
    PropertiesSummary s = read(
        written(out -> BasicPropertiesCodec.encode(out, BasicProperties.EMPTY.withHeaders(h))),
        BasicPropertiesCodec::summarize);
    assertThat(s.ccType()).isEqualTo('A');
    assertThat(s.bccType()).isEqualTo('S');
    assertThat(s.hasXDeath()).isTrue();
    assertThat(s.hasRoutingHeaders()).isTrue();

    PropertiesSummary none = read(
        written(out -> BasicPropertiesCodec.encode(out, BasicProperties.EMPTY.withHeaders(
            FieldTable.of(Map.of("CCC", java.util.List.of("k"), "nested", Map.of("CC", java.util.List.of("k"))))))),
        BasicPropertiesCodec::summarize);
    assertThat(none.ccType()).isZero();
    assertThat(none.bccType()).isZero();
    assertThat(none.hasXDeath()).isFalse();
    assertThat(none.hasRoutingHeaders()).isFalse();
  }

  @Example
  void aMalformedHeadersTableEndsTheScanQuietly() {
    // headers table of 9 bytes: key "CC", type 'S', a longstr claiming 100 bytes
    byte[] bytes = {0x20, 0x00, 0, 0, 0, 9, 2, 'C', 'C', 'S', 0, 0, 0, 100, 0};
    PropertiesSummary s = read(bytes, BasicPropertiesCodec::summarize);
    assertThat(s.hasHeaders()).isTrue();
    assertThat(s.ccType()).isZero();
  }

  @Example
  void withersReplaceOneProperty() {
    BasicProperties p = BasicProperties.EMPTY.withDeliveryMode(2).withExpiration("10");
    assertThat(p.persistent()).isTrue();
    assertThat(p.expiration()).isEqualTo("10");
    assertThat(p.withDeliveryMode(1).persistent()).isFalse();
    assertThat(subset((1 << 14) - 1)).isEqualTo(ALL);
    assertThatThrownBy(() -> BasicProperties.EMPTY.withPriority(256))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The properties of {@link #ALL} whose bit (13 = content-type ... 0 = cluster-id) is set. */
  static BasicProperties subset(int mask) {
    BasicProperties p = BasicProperties.EMPTY;
    if ((mask & 1 << 13) != 0) p = p.withContentType(ALL.contentType());
    if ((mask & 1 << 12) != 0) p = p.withContentEncoding(ALL.contentEncoding());
    if ((mask & 1 << 11) != 0) p = p.withHeaders(ALL.headers());
    if ((mask & 1 << 10) != 0) p = p.withDeliveryMode(ALL.deliveryMode());
    if ((mask & 1 << 9) != 0) p = p.withPriority(ALL.priority());
    if ((mask & 1 << 8) != 0) p = p.withCorrelationId(ALL.correlationId());
    if ((mask & 1 << 7) != 0) p = p.withReplyTo(ALL.replyTo());
    if ((mask & 1 << 6) != 0) p = p.withExpiration(ALL.expiration());
    if ((mask & 1 << 5) != 0) p = p.withMessageId(ALL.messageId());
    if ((mask & 1 << 4) != 0) p = p.withTimestamp(ALL.timestamp());
    if ((mask & 1 << 3) != 0) p = p.withType(ALL.type());
    if ((mask & 1 << 2) != 0) p = p.withUserId(ALL.userId());
    if ((mask & 1 << 1) != 0) p = p.withAppId(ALL.appId());
    if ((mask & 1) != 0) p = p.withClusterId(ALL.clusterId());
    return p;
  }

  @Provide
  Arbitrary<BasicProperties> properties() {
    Arbitrary<@Nullable String> s = Generators.shortStrings().injectNull(0.3);
    Arbitrary<@Nullable Integer> octet = Generators.octets().injectNull(0.3);
    Arbitrary<@Nullable FieldTable> headers = Generators.tables(2, true).injectNull(0.3);
    Arbitrary<@Nullable Long> timestamp =
        Arbitraries.longs().between(0, Long.MAX_VALUE / 1000).injectNull(0.3);
    return Combinators.combine(s, s, headers, octet, octet, s, s, s)
        .flatAs(
            (ct, ce, h, dm, pr, cid, rt, exp) ->
                Combinators.combine(s, timestamp, s, s, s, s)
                    .as(
                        (mid, ts, type, uid, app, cluster) ->
                            new BasicProperties(
                                ct, ce, h, dm, pr, cid, rt, exp, mid, ts, type, uid, app,
                                cluster)));
  }

  static AMQP.BasicProperties toClient(BasicProperties p) {
    return new AMQP.BasicProperties(
        p.contentType(),
        p.contentEncoding(),
        p.headers() == null ? null : ClientValues.toClient(p.headers()),
        p.deliveryMode(),
        p.priority(),
        p.correlationId(),
        p.replyTo(),
        p.expiration(),
        p.messageId(),
        p.timestamp() == null ? null : new Date(p.timestamp() * 1000),
        p.type(),
        p.userId(),
        p.appId(),
        p.clusterId());
  }

  /** The client writes class id, weight and body size first: strip those 12 bytes. */
  static byte[] clientEncode(AMQP.BasicProperties p) throws IOException {
    byte[] payload = p.toFrame(0, 0).getPayload();
    return Arrays.copyOfRange(payload, 12, payload.length);
  }

  /** The client reads weight and body size first: put 10 zero bytes before ours. */
  static AMQP.BasicProperties clientDecode(byte[] ours) throws IOException {
    byte[] framed = Bytes.concat(new byte[10], ours);
    return new AMQP.BasicProperties(new DataInputStream(new ByteArrayInputStream(framed)));
  }

  static void assertSameAsClient(BasicProperties p, AMQP.BasicProperties c) {
    assertThat(c.getContentType()).isEqualTo(p.contentType());
    assertThat(c.getContentEncoding()).isEqualTo(p.contentEncoding());
    assertThat(
            ClientValues.deepEquals(
                p.headers() == null ? null : ClientValues.toClient(p.headers()), c.getHeaders()))
        .isTrue();
    assertThat(c.getDeliveryMode()).isEqualTo(p.deliveryMode());
    assertThat(c.getPriority()).isEqualTo(p.priority());
    assertThat(c.getCorrelationId()).isEqualTo(p.correlationId());
    assertThat(c.getReplyTo()).isEqualTo(p.replyTo());
    assertThat(c.getExpiration()).isEqualTo(p.expiration());
    assertThat(c.getMessageId()).isEqualTo(p.messageId());
    assertThat(c.getTimestamp() == null ? null : c.getTimestamp().getTime() / 1000)
        .isEqualTo(p.timestamp());
    assertThat(c.getType()).isEqualTo(p.type());
    assertThat(c.getUserId()).isEqualTo(p.userId());
    assertThat(c.getAppId()).isEqualTo(p.appId());
    assertThat(c.getClusterId()).isEqualTo(p.clusterId());
  }

  static void assertSummaryAgrees(byte[] bytes, BasicProperties p) {
    PropertiesSummary s = read(bytes, BasicPropertiesCodec::summarize);
    assertThat(s.deliveryMode()).isEqualTo(p.deliveryMode() == null ? 0 : p.deliveryMode());
    assertThat(s.priority()).isEqualTo(p.priority() == null ? -1 : p.priority());
    assertThat(s.expiration()).isEqualTo(p.expiration());
    assertThat(s.hasHeaders()).isEqualTo(p.headers() != null);
    assertThat(s.persistent()).isEqualTo(p.persistent());
    FieldTable h = p.headers() == null ? FieldTable.EMPTY : p.headers();
    assertThat(s.ccType() != 0).isEqualTo(h.containsKey("CC"));
    assertThat(s.bccType() != 0).isEqualTo(h.containsKey("BCC"));
    assertThat(s.hasXDeath()).isEqualTo(h.containsKey("x-death"));
  }

  static <T> T read(byte[] bytes, Function<ByteBuf, T> reader) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      return reader.apply(buf);
    } finally {
      buf.release();
    }
  }

  static void assertError(byte[] bytes, ReplyCode code, String text) {
    for (Function<ByteBuf, ?> reader :
        java.util.List.<Function<ByteBuf, ?>>of(
            BasicPropertiesCodec::decode, BasicPropertiesCodec::summarize)) {
      assertThatThrownBy(() -> read(bytes, reader))
          .as("%s", Arrays.toString(bytes))
          .isInstanceOfSatisfying(
              AmqpException.class,
              e -> {
                assertThat(e.replyCode()).isEqualTo(code);
                assertThat(e.replyText()).contains(text);
              });
    }
  }
}
