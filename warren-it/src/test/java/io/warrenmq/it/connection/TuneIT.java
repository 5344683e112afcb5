package io.warrenmq.it.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.amqp.AmqpConstants;
import io.warrenmq.amqp.method.BasicGet;
import io.warrenmq.amqp.method.BasicGetOk;
import io.warrenmq.amqp.method.BasicPublish;
import io.warrenmq.amqp.method.ChannelOpen;
import io.warrenmq.amqp.method.ConnectionClose;
import io.warrenmq.amqp.method.ConnectionCloseOk;
import io.warrenmq.amqp.method.ConnectionOpen;
import io.warrenmq.amqp.method.ConnectionTune;
import io.warrenmq.amqp.method.ConnectionTuneOk;
import io.warrenmq.amqp.method.QueueDeclare;
import io.warrenmq.amqp.method.QueueDeclareOk;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.RawAmqp;
import io.warrenmq.it.support.RawAmqp.RawFrame;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** connection.tune / tune-ok: what the broker offers, what it accepts, and that it keeps to it. */
class TuneIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  /** Sends the header, logs in as guest, returns the broker's connection.tune. */
  static ConnectionTune startAndReadTune(RawAmqp raw) throws Exception {
    raw.sendProtocolHeader();
    raw.startOk("PLAIN", RawAmqp.plain("guest", "guest"));
    return raw.expect(ConnectionTune.class);
  }

  @Nested
  class Offer {
    @Test
    void theBrokerOffersItsConfiguredLimits() throws Exception {
      try (RawAmqp raw = RawAmqp.connect(broker.port())) {
        assertThat(startAndReadTune(raw)).isEqualTo(new ConnectionTune(2047, 131072, 60));
      }
    }

    @Test
    void aClientAskingForLessGetsWhatItAskedFor() throws Exception {
      ConnectionFactory f = broker.factory();
      f.setRequestedFrameMax(4096);
      f.setRequestedChannelMax(3);
      try (Connection c = f.newConnection()) {
        assertThat(c.getFrameMax()).isEqualTo(4096);
        assertThat(c.getChannelMax()).isEqualTo(3);
        Channel ch = c.createChannel();
        String q = ch.queueDeclare().getQueue();
        byte[] body = new byte[100_000];
        Arrays.fill(body, (byte) 'x');
        ch.basicPublish("", q, null, body);
        assertThat(ch.basicGet(q, true).getBody()).isEqualTo(body);
      }
    }
  }

  @Nested
  class Refusals {
    @Test
    void aFrameMaxAboveTheOfferIsRefusedWith530() throws Exception {
      assertTuneOkRefused(new ConnectionTuneOk(2047, 131073, 0),
          "NOT_ALLOWED - negotiated frame_max = 131073 is higher than the maximum allowed value (131072)");
    }

    @Test
    void aFrameMaxBelow4096IsRefusedWith530() throws Exception {
      assertTuneOkRefused(new ConnectionTuneOk(2047, 4095, 0),
          "NOT_ALLOWED - negotiated frame_max = 4095 is lower than the minimum allowed value (4096)");
    }

    @Test
    void anUnlimitedFrameMaxIsRefusedBecauseTheBrokerOfferedALimit() throws Exception {
      assertTuneOkRefused(new ConnectionTuneOk(2047, 0, 0),
          "NOT_ALLOWED - negotiated frame_max = 0 is higher than the maximum allowed value (131072)");
    }

    @Test
    void aChannelMaxAboveTheOfferIsRefusedWith530() throws Exception {
      assertTuneOkRefused(new ConnectionTuneOk(2048, 4096, 0),
          "NOT_ALLOWED - negotiated channel_max = 2048 is higher than the maximum allowed value (2047)");
    }

    @Test
    void anUnlimitedChannelMaxIsRefusedWith530() throws Exception {
      assertTuneOkRefused(new ConnectionTuneOk(0, 4096, 0),
          "NOT_ALLOWED - negotiated channel_max = 0 (no limit) is higher than the maximum allowed value (2047)");
    }

    private void assertTuneOkRefused(ConnectionTuneOk tuneOk, String text) throws Exception {
      try (RawAmqp raw = RawAmqp.connect(broker.port())) {
        startAndReadTune(raw);
        raw.sendMethod(0, tuneOk);
        // the client may pipeline connection.open; it must not open anything
        raw.sendMethod(0, new ConnectionOpen("/"));
        assertThat(raw.expect(ConnectionClose.class)).isEqualTo(new ConnectionClose(530, text, 10, 30));
        raw.sendMethod(0, new ConnectionCloseOk());
        assertThat(raw.closedByBroker(Duration.ofSeconds(5))).isTrue();
      }
    }
  }

  @Nested
  class ChannelMax {
    @Test
    void openingMoreChannelsThanNegotiatedIsRefusedWith530() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port(), 2, 4096, 0)) {
        raw.openChannel(1);
        raw.openChannel(2);
        raw.sendMethod(3, new ChannelOpen());
        assertThat(raw.expectConnectionClose()).isEqualTo(new ConnectionClose(530,
            "NOT_ALLOWED - number of channels opened (2) has reached the negotiated channel_max (2)", 0, 0));
      }
    }

    @Test
    void channelMaxCountsOpenChannelsNotTheirNumbersAsRabbitMqDoes() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port(), 2, 4096, 0)) {
        raw.openChannel(7);
        raw.openChannel(2000);
        raw.sendMethod(1, new ChannelOpen());
        assertThat(raw.expectConnectionClose().replyCode()).isEqualTo(530);
      }
    }

    @Test
    void aClosedChannelFreesItsPlace() throws Exception {
      ConnectionFactory f = broker.factory();
      f.setRequestedChannelMax(1);
      try (Connection c = f.newConnection()) {
        c.createChannel().close();
        Channel second = c.createChannel();
        assertThat(second.isOpen()).isTrue();
      }
    }
  }

  @Nested
  class FrameMax {
    @Test
    void theBrokerSplitsDeliveriesToTheNegotiatedFrameMax() throws Exception {
      byte[] body = new byte[20_000];
      Arrays.fill(body, (byte) 7);
      try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
        ch.queueDeclare("tune-frame-max", false, false, true, null);
        ch.basicPublish("", "tune-frame-max", null, body);
      }
      try (RawAmqp raw = RawAmqp.open(broker.port(), 10, 4096, 0)) {
        raw.openChannel(1);
        raw.sendMethod(1, new BasicGet("tune-frame-max", true));
        assertThat(raw.expect(BasicGetOk.class).deliveryTag()).isEqualTo(1);
        RawFrame header = raw.readFrame();
        assertThat(header.type()).isEqualTo(AmqpConstants.FRAME_HEADER);
        int received = 0;
        int frames = 0;
        while (received < body.length) {
          RawFrame f = raw.readFrame();
          assertThat(f.type()).isEqualTo(AmqpConstants.FRAME_BODY);
          assertThat(f.payload().length + 8).isLessThanOrEqualTo(4096);
          received += f.payload().length;
          frames++;
        }
        assertThat(received).isEqualTo(body.length);
        assertThat(frames).isEqualTo(5); // ceil(20000 / 4088)
      }
    }

    @Test
    void aFrameOfExactlyTheNegotiatedFrameMaxIsAccepted() throws Exception {
      assertPayloadAccepted(4096 - 8);
    }

    @Test
    void aPayloadAsLargeAsFrameMaxIsToleratedAsRabbitMqDoes() throws Exception {
      assertPayloadAccepted(4096);
    }

    private void assertPayloadAccepted(int size) throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port(), 10, 4096, 0)) {
        raw.openChannel(1);
        raw.sendMethod(1, new QueueDeclare("tune-exact", false, false, false, true, false, FieldTable.EMPTY));
        raw.expect(QueueDeclareOk.class);
        raw.sendMethod(1, new BasicPublish("", "tune-exact", false, false));
        raw.sendHeader(1, size);
        raw.sendBody(1, new byte[size]);
        raw.sendMethod(1, new BasicGet("tune-exact", true));
        assertThat(raw.expect(BasicGetOk.class).messageCount()).isZero();
      }
    }
  }
}
