package io.warrenmq.amqp.method;

import static io.warrenmq.amqp.testing.Bytes.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MethodCodecTest {

  @Test
  void consecutiveBitsArePackedIntoOneOctetLowestBitFirst() {
    byte[] bytes =
        written(
            out ->
                MethodCodec.encode(
                    out, new QueueDeclare("q", false, true, false, true, false, FieldTable.EMPTY)));
    // class 50, method 10, ticket 0, "q", bits durable(2) | auto-delete(8), empty table
    assertThat(bytes).containsExactly(0, 50, 0, 10, 0, 0, 1, 'q', 0b0000_1010, 0, 0, 0, 0);
  }

  @Test
  void unknownClassIsNotImplemented() {
    assertError(
        new byte[] {0, 99, 0, 10}, ReplyCode.NOT_IMPLEMENTED, "unknown method 99.10", 99, 10);
  }

  @Test
  void unknownMethodOfAKnownClassIsNotImplemented() {
    assertError(
        new byte[] {0, 60, 0, 99}, ReplyCode.NOT_IMPLEMENTED, "unknown method 60.99", 60, 99);
  }

  @Test
  void truncatedArgumentsAreASyntaxErrorNamingTheMethod() {
    byte[] ack = written(out -> MethodCodec.encode(out, new BasicAck(7, true)));
    assertError(
        Arrays.copyOf(ack, ack.length - 1),
        ReplyCode.SYNTAX_ERROR,
        "SYNTAX_ERROR - arguments of basic.ack are truncated",
        60,
        80);
  }

  @Test
  void malformedTableIsASyntaxErrorNamingTheMethod() {
    byte[] declare =
        written(
            out ->
                MethodCodec.encode(
                    out,
                    new ExchangeDeclare(
                        "x", "direct", false, false, false, false, false, FieldTable.EMPTY)));
    byte[] bad = Arrays.copyOf(declare, declare.length);
    bad[bad.length - 1] = 9; // the arguments table now claims 9 bytes that are not there
    assertError(
        bad,
        ReplyCode.SYNTAX_ERROR,
        "field table overruns the frame (length 9, 0 bytes left) in exchange.declare",
        40,
        10);
  }

  @Test
  void payloadTooShortForIdsIsASyntaxError() {
    assertThatThrownBy(() -> decode(new byte[] {0, 60, 0}))
        .isInstanceOfSatisfying(
            AmqpException.class, e -> assertThat(e.replyCode()).isEqualTo(ReplyCode.SYNTAX_ERROR));
  }

  @Test
  void trailingBytesAfterTheArgumentsAreIgnored() {
    byte[] ack = written(out -> MethodCodec.encode(out, new BasicAck(7, true)));
    byte[] padded = Arrays.copyOf(ack, ack.length + 3);
    assertThat(decode(padded)).isEqualTo(new BasicAck(7, true));
  }

  @Test
  void reservedFieldsAreWrittenEmptyAndIgnoredOnDecode() {
    assertThat(written(out -> MethodCodec.encode(out, new ConnectionOpen("/"))))
        .containsExactly(0, 10, 0, 40, 1, '/', 0, 0);
    // a client may send capabilities and insist: they are skipped
    assertThat(decode(new byte[] {0, 10, 0, 40, 1, '/', 2, 'x', 'y', 1}))
        .isEqualTo(new ConnectionOpen("/"));
    assertThat(written(out -> MethodCodec.encode(out, ChannelOpenOk.INSTANCE)))
        .containsExactly(0, 20, 0, 11, 0, 0, 0, 0);
  }

  @Test
  void replyTextIsCutTo255BytesWhenEncoded() {
    AmqpException e =
        AmqpException.channelError(ReplyCode.NOT_FOUND, "no queue '%s'", "q".repeat(300))
            .withMethod(50, 10);
    ChannelClose close = ChannelClose.of(e);
    assertThat(close.replyCode()).isEqualTo(404);
    assertThat(close.failingClassId()).isEqualTo(50);
    assertThat(close.failingMethodId()).isEqualTo(10);

    ChannelClose decoded = (ChannelClose) decode(written(out -> MethodCodec.encode(out, close)));
    assertThat(decoded.replyText()).hasSize(255).startsWith("NOT_FOUND - no queue 'qqq");
  }

  @Test
  void connectionCloseCarriesTheErrorsCodeTextAndMethod() {
    AmqpException e =
        AmqpException.connectionError(ReplyCode.FRAME_ERROR, "bad frame").withMethod(60, 40);
    assertThat(ConnectionClose.of(e))
        .isEqualTo(new ConnectionClose(501, "FRAME_ERROR - bad frame", 60, 40));
  }

  @Test
  void contentMethodsAreMarked() {
    assertThat(new BasicPublish("", "k", false, false).hasContent()).isTrue();
    assertThat(new BasicReturn(312, "NO_ROUTE", "x", "k").hasContent()).isTrue();
    assertThat(new BasicDeliver("c", 1, false, "x", "k").hasContent()).isTrue();
    assertThat(new BasicGetOk(1, false, "x", "k", 0).hasContent()).isTrue();
    assertThat(new BasicAck(1, false).hasContent()).isFalse();
    assertThat(new BasicPublish("", "k", false, false).name()).isEqualTo("basic.publish");
  }

  @Test
  void credentialsNeverAppearInToString() {
    LongString secret = LongString.of("\0guest\0s3cret");
    assertThat(new ConnectionStartOk(FieldTable.EMPTY, "PLAIN", secret, "en_US").toString())
        .doesNotContain("s3cret")
        .contains("13 bytes");
    assertThat(new ConnectionSecureOk(secret).toString()).doesNotContain("s3cret");
    assertThat(new ConnectionUpdateSecret(secret, "refresh").toString()).doesNotContain("s3cret");
  }

  @Test
  void outOfRangeArgumentsAreRefused() {
    assertThatThrownBy(() -> new BasicQos(0, 65536, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QueueDeclareOk("q", -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> written(out -> MethodCodec.encode(out, new BasicConsumeOk("x".repeat(256)))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Method decode(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      return MethodCodec.decode(buf);
    } finally {
      buf.release();
    }
  }

  private static void assertError(
      byte[] bytes, ReplyCode code, String text, int classId, int methodId) {
    assertThatThrownBy(() -> decode(bytes))
        .isInstanceOfSatisfying(
            AmqpException.class,
            e -> {
              assertThat(e.replyCode()).isEqualTo(code);
              assertThat(e.connectionLevel()).isTrue();
              assertThat(e.replyText()).contains(text);
              assertThat(e.classId()).isEqualTo(classId);
              assertThat(e.methodId()).isEqualTo(methodId);
            });
  }
}
