package io.warrenmq.it.frames;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warrenmq.amqp.AmqpConstants;
import io.warrenmq.amqp.method.BasicDeliver;
import io.warrenmq.amqp.method.BasicGet;
import io.warrenmq.amqp.method.BasicGetOk;
import io.warrenmq.amqp.method.BasicPublish;
import io.warrenmq.amqp.method.BasicQos;
import io.warrenmq.amqp.method.ChannelOpen;
import io.warrenmq.amqp.method.ConnectionClose;
import io.warrenmq.amqp.method.ConnectionCloseOk;
import io.warrenmq.amqp.method.QueueDeclare;
import io.warrenmq.amqp.method.QueueDeclareOk;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.RawAmqp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hard errors over a raw socket: broken framing (501), frames in the wrong state (504, 505),
 * unknown and malformed methods (540, 502). Each closes the connection with connection.close and
 * RabbitMQ's text; the broker then keeps serving other connections.
 */
class FrameErrorsIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  private static final int CH = 1;

  @AfterEach
  void theBrokerStillServesNewConnections() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      String q = ch.queueDeclare().getQueue();
      ch.basicPublish("", q, null, "still here".getBytes(StandardCharsets.UTF_8));
      assertThat(ch.basicGet(q, true).getBody()).asString(StandardCharsets.UTF_8).isEqualTo("still here");
    }
  }

  /** Opens a connection with frame-max 4096 and channel 1. */
  static RawAmqp openWithChannel() throws Exception {
    RawAmqp raw = RawAmqp.open(broker.port());
    raw.openChannel(CH);
    return raw;
  }

  /** Reads connection.close, checks it, and checks the broker then closes the socket. */
  static void assertClosedWith(RawAmqp raw, ConnectionClose expected) throws Exception {
    assertThat(raw.expectConnectionClose()).isEqualTo(expected);
    raw.sendMethod(0, new ConnectionCloseOk());
    assertThat(raw.closedByBroker(Duration.ofSeconds(5))).isTrue();
  }

  @Nested
  class Framing {
    @Test
    void aFrameLargerThanTheNegotiatedFrameMaxIs501() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendFrame(AmqpConstants.FRAME_BODY, CH, new byte[5000]);
        assertClosedWith(raw, new ConnectionClose(501,
            "FRAME_ERROR - type 3, all octets = <<>>: {frame_too_large,5000,4088}", 0, 0));
      }
    }

    @Test
    void aFrameMaxTooLargeIsJudgedFromTheFrameHeaderBeforeThePayloadArrives() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.send(new byte[] {1, 0, 1, 0x10, 0, 0, 0}); // a method frame announcing 256 MiB
        assertThat(raw.expectConnectionClose()).isEqualTo(new ConnectionClose(501,
            "FRAME_ERROR - type 1, all octets = <<>>: {frame_too_large,268435456,4088}", 0, 0));
      }
    }

    @Test
    void aBadFrameEndIs501() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.sendFrame(AmqpConstants.FRAME_METHOD, CH, RawAmqp.methodPayload(new ChannelOpen()), 0x00);
        assertClosedWith(raw, new ConnectionClose(501,
            "FRAME_ERROR - type 1, all octets = <<0,20,0,10,0>>: {invalid_frame_end_marker,0}", 0, 0));
      }
    }

    @Test
    void anUnknownFrameTypeIs501() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendFrame(9, CH, "hi".getBytes(StandardCharsets.US_ASCII));
        assertClosedWith(raw, new ConnectionClose(501,
            "FRAME_ERROR - type 9, all octets = <<\"hi\">>: unknown_frame", 0, 0));
      }
    }

    @Test
    void aLongUnknownFramePayloadIsQuotedByItsFirst16Octets() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendFrame(7, CH, "0123456789abcdefXYZ".getBytes(StandardCharsets.US_ASCII));
        assertClosedWith(raw, new ConnectionClose(501,
            "FRAME_ERROR - type 7, first 16 octets = <<\"0123456789abcdef\">>: unknown_frame", 0, 0));
      }
    }

    @Test
    void aHeartbeatOnAChannelOtherThanZeroIs505() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendFrame(AmqpConstants.FRAME_HEARTBEAT, CH, new byte[0]);
        assertClosedWith(raw, new ConnectionClose(505, "UNEXPECTED_FRAME - type 8, all octets = <<>>", 0, 0));
      }
    }

    @Test
    void anEmptyMethodFrameIs501() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendFrame(AmqpConstants.FRAME_METHOD, CH, new byte[0]);
        assertClosedWith(raw, new ConnectionClose(501, "FRAME_ERROR - type 1, all octets = <<>>: unknown_frame", 0, 0));
      }
    }
  }

  @Nested
  class ChannelState {
    @Test
    void aMethodOnAChannelThatWasNeverOpenedIs504() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.sendMethod(5, new QueueDeclare("", false, false, true, true, false, FieldTable.EMPTY));
        assertClosedWith(raw, new ConnectionClose(504, "CHANNEL_ERROR - expected 'channel.open'", 50, 10));
      }
    }

    @Test
    void aSecondChannelOpenIs504() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new ChannelOpen());
        assertClosedWith(raw, new ConnectionClose(504, "CHANNEL_ERROR - second 'channel.open' seen", 20, 10));
      }
    }

    @Test
    void aContentFrameOnAChannelThatWasNeverOpenedIs505() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.sendBody(3, new byte[] {1});
        assertClosedWith(raw, new ConnectionClose(505,
            "UNEXPECTED_FRAME - expected method frame, got non method frame instead", 0, 0));
      }
    }

    @Test
    void afterConnectionCloseTheBrokerDropsEverythingButCloseOk() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new ChannelOpen());
        assertThat(raw.expectConnectionClose().replyCode()).isEqualTo(504);
        raw.sendMethod(2, new ChannelOpen());
        raw.sendMethod(CH, new BasicQos(0, 10, false));
        raw.sendFrame(AmqpConstants.FRAME_HEARTBEAT, 0, new byte[0]);
        raw.sendMethod(0, new ConnectionCloseOk());
        assertThat(raw.readUpTo(4096)).as("nothing after connection.close").isEmpty();
      }
    }

    /**
     * RabbitMQ (rabbit_reader, handle_method0 connection.close when stopping) answers a crossing
     * close with close-ok and goes on waiting for the client's close-ok (or its FIN): the socket
     * is not closed under a client that may still be sending.
     */
    @Test
    void aConnectionCloseCrossingTheBrokersCloseIsAnsweredWithCloseOkAndTheBrokerWaitsForCloseOk() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new ChannelOpen());
        assertThat(raw.expectConnectionClose().replyCode()).isEqualTo(504);
        raw.sendMethod(0, new ConnectionClose(200, "bye", 0, 0));
        raw.expect(ConnectionCloseOk.class);
        assertThat(raw.awaitEnd(Duration.ofMillis(300))).isEqualTo(RawAmqp.Ending.OPEN);
        raw.sendMethod(0, new ConnectionCloseOk());
        assertThat(raw.awaitEnd(Duration.ofSeconds(5))).isEqualTo(RawAmqp.Ending.FIN);
      }
    }
  }

  @Nested
  class ContentOrder {
    @Test
    void aContentHeaderWithoutAPublishIs505() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendHeader(CH, 3);
        assertClosedWith(raw, new ConnectionClose(505,
            "UNEXPECTED_FRAME - expected method frame, got non method frame instead", 0, 0));
      }
    }

    @Test
    void aBodyInsteadOfTheContentHeaderIs505() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new BasicPublish("", "nowhere", false, false));
        raw.sendBody(CH, new byte[] {1, 2, 3});
        assertClosedWith(raw, new ConnectionClose(505,
            "UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead",
            60, 40));
      }
    }

    @Test
    void aMethodInsteadOfTheContentHeaderIs505() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new BasicPublish("", "nowhere", false, false));
        raw.sendMethod(CH, new BasicQos(0, 1, false));
        assertClosedWith(raw, new ConnectionClose(505,
            "UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead",
            60, 40));
      }
    }

    @Test
    void aMethodInsteadOfTheBodyIs505() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new BasicPublish("", "nowhere", false, false));
        raw.sendHeader(CH, 10);
        raw.sendMethod(CH, new BasicQos(0, 1, false));
        assertClosedWith(raw, new ConnectionClose(505,
            "UNEXPECTED_FRAME - expected content body, got non content body frame instead", 60, 40));
      }
    }

    @Test
    void aSecondContentHeaderInsteadOfTheBodyIs505() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new BasicPublish("", "nowhere", false, false));
        raw.sendHeader(CH, 10);
        raw.sendHeader(CH, 10);
        assertClosedWith(raw, new ConnectionClose(505,
            "UNEXPECTED_FRAME - expected content body, got non content body frame instead", 60, 40));
      }
    }

    @Test
    void aBodyLongerThanAnnouncedIs501() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new BasicPublish("", "nowhere", false, false));
        raw.sendHeader(CH, 3);
        raw.sendBody(CH, new byte[5]);
        assertClosedWith(raw, new ConnectionClose(501,
            "FRAME_ERROR - content body frame exceeds remaining content size", 60, 40));
      }
    }

    @Test
    void aContentHeaderOnChannelZeroIs505() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.sendHeader(0, 0);
        assertClosedWith(raw, new ConnectionClose(505,
            "UNEXPECTED_FRAME - type 2, all octets = <<0,60,0,0,0,0,0,0,0,0,0,0,0,0>>", 0, 0));
      }
    }

    @Test
    void heartbeatsBetweenContentFramesAreFine() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new QueueDeclare("frames-hb", false, false, false, true, false, FieldTable.EMPTY));
        raw.expect(QueueDeclareOk.class);
        byte[] heartbeat = {};
        raw.sendMethod(CH, new BasicPublish("", "frames-hb", false, false));
        raw.sendFrame(AmqpConstants.FRAME_HEARTBEAT, 0, heartbeat);
        raw.sendHeader(CH, 4);
        raw.sendFrame(AmqpConstants.FRAME_HEARTBEAT, 0, heartbeat);
        raw.sendBody(CH, new byte[] {1, 2});
        raw.sendFrame(AmqpConstants.FRAME_HEARTBEAT, 0, heartbeat);
        raw.sendBody(CH, new byte[] {3, 4});
        raw.sendMethod(CH, new BasicGet("frames-hb", true));
        assertThat(raw.expect(BasicGetOk.class).messageCount()).isZero();
        assertThat(raw.readFrame().type()).isEqualTo(AmqpConstants.FRAME_HEADER);
        assertThat(raw.readFrame().payload()).containsExactly(1, 2, 3, 4);
      }
    }
  }

  @Nested
  class Methods {
    @Test
    void anUnknownClassIs540() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendRawMethod(CH, 99, 10, new byte[0]);
        assertClosedWith(raw, new ConnectionClose(540, "NOT_IMPLEMENTED - unknown method 99.10", 99, 10));
      }
    }

    @Test
    void anUnknownMethodOfAKnownClassIs540() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendRawMethod(CH, 60, 99, new byte[0]);
        assertClosedWith(raw, new ConnectionClose(540, "NOT_IMPLEMENTED - unknown method 60.99", 60, 99));
      }
    }

    @Test
    void truncatedArgumentsAre502() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendRawMethod(CH, 50, 10, new byte[] {0, 0, 5, 'q'}); // queue.declare, name cut short
        ConnectionClose close = raw.expectConnectionClose();
        assertThat(close.replyCode()).isEqualTo(502);
        assertThat(close.replyText()).startsWith("SYNTAX_ERROR - ").contains("queue.declare");
        assertThat(close.failingClassId()).isEqualTo(50);
        assertThat(close.failingMethodId()).isEqualTo(10);
      }
    }

    @Test
    void anUnknownFieldTypeInATableIs502() throws Exception {
      // queue.declare: ticket, name "q", bits, a table {"k": type 'Z'}
      byte[] args = {0, 0, 1, 'q', 0, 0, 0, 0, 3, 1, 'k', 'Z'};
      try (RawAmqp raw = openWithChannel()) {
        raw.sendRawMethod(CH, 50, 10, args);
        ConnectionClose close = raw.expectConnectionClose();
        assertThat(close.replyCode()).isEqualTo(502);
        assertThat(close.replyText()).startsWith("SYNTAX_ERROR - ").contains("'Z'");
      }
    }

    @Test
    void anImmediatePublishIs540() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new BasicPublish("", "anywhere", false, true));
        raw.sendHeader(CH, 0);
        assertClosedWith(raw, new ConnectionClose(540, "NOT_IMPLEMENTED - immediate=true", 60, 40));
      }
    }

    @Test
    void aPrefetchSizeIs540() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new BasicQos(1000, 0, false));
        assertClosedWith(raw, new ConnectionClose(540, "NOT_IMPLEMENTED - prefetch_size!=0 (1000)", 60, 10));
      }
    }

    @Test
    void aMethodOnlyTheBrokerSendsIs503() throws Exception {
      try (RawAmqp raw = openWithChannel()) {
        raw.sendMethod(CH, new BasicDeliver("ctag", 1, false, "", "q"));
        raw.sendHeader(CH, 0); // basic.deliver carries content: RabbitMQ judges it once complete
        assertClosedWith(raw, new ConnectionClose(503, "COMMAND_INVALID - unimplemented method", 60, 60));
      }
    }

    @Test
    void aChannelMethodOnChannelZeroIs504() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.sendMethod(0, new BasicQos(0, 1, false));
        assertClosedWith(raw, new ConnectionClose(504,
            "CHANNEL_ERROR - unexpected method in connection state running", 60, 10));
      }
    }
  }
}
