package io.warrenmq.it.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.amqp.method.BasicGet;
import io.warrenmq.amqp.method.BasicGetEmpty;
import io.warrenmq.amqp.method.BasicPublish;
import io.warrenmq.amqp.method.BasicQos;
import io.warrenmq.amqp.method.ChannelClose;
import io.warrenmq.amqp.method.ChannelCloseOk;
import io.warrenmq.amqp.method.ChannelOpen;
import io.warrenmq.amqp.method.ConnectionClose;
import io.warrenmq.amqp.method.QueueDeclare;
import io.warrenmq.amqp.method.QueueDeclareOk;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.RawAmqp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After the broker sends channel.close (AMQP 0-9-1 2.3.5.2: the peer "must discard all frames on
 * the channel until it receives close-ok"), it ignores the channel's frames but answers close-ok,
 * and the channel number may then be opened again.
 */
class ClosingChannelIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  private static final ChannelClose NO_QUEUE =
      new ChannelClose(404, "NOT_FOUND - no queue 'closing-missing' in vhost '/'", 50, 10);

  /** A raw connection whose channel 1 the broker has just closed with 404. */
  static RawAmqp withChannelClosedByBroker() throws Exception {
    RawAmqp raw = RawAmqp.open(broker.port());
    raw.openChannel(1);
    raw.sendMethod(1, new QueueDeclare("closing-missing", true, false, false, false, false, FieldTable.EMPTY));
    assertThat(raw.expect(ChannelClose.class)).isEqualTo(NO_QUEUE);
    return raw;
  }

  @Test
  void methodsAndContentOnAClosingChannelAreDroppedUntilCloseOk() throws Exception {
    try (RawAmqp raw = withChannelClosedByBroker()) {
      raw.sendMethod(1, new QueueDeclare("closing-other", false, false, false, true, false, FieldTable.EMPTY));
      raw.sendMethod(1, new BasicPublish("", "closing-other", false, false));
      raw.sendHeader(1, 3);
      raw.sendBody(1, new byte[] {1, 2, 3});
      raw.sendMethod(1, new BasicQos(0, 1, false));
      raw.sendMethod(1, new ChannelCloseOk());
      raw.openChannel(1); // fails unless the very next frame is channel.open-ok
      raw.sendMethod(1, new QueueDeclare("closing-other", true, false, false, false, false, FieldTable.EMPTY));
      // the declare sent while closing was dropped: the queue does not exist
      assertThat(raw.expect(ChannelClose.class).replyCode()).isEqualTo(404);
    }
  }

  @Test
  void aChannelCloseCrossingTheBrokersCloseIsAnsweredWithCloseOk() throws Exception {
    try (RawAmqp raw = withChannelClosedByBroker()) {
      raw.sendMethod(1, new ChannelClose(200, "bye", 0, 0));
      raw.expect(ChannelCloseOk.class);
      raw.sendMethod(1, new ChannelCloseOk());
      raw.openChannel(1);
    }
  }

  @Test
  void otherChannelsOfTheConnectionCarryOnMeanwhile() throws Exception {
    try (RawAmqp raw = withChannelClosedByBroker()) {
      raw.openChannel(2);
      raw.sendMethod(2, new QueueDeclare("closing-two", false, false, false, true, false, FieldTable.EMPTY));
      raw.expect(QueueDeclareOk.class);
      raw.sendMethod(2, new BasicGet("closing-two", true));
      raw.expect(BasicGetEmpty.class);
    }
  }

  @Test
  void aChannelOpenBeforeCloseOkIsStillA504() throws Exception {
    try (RawAmqp raw = withChannelClosedByBroker()) {
      raw.sendMethod(1, new ChannelOpen());
      assertThat(raw.expectConnectionClose())
          .isEqualTo(new ConnectionClose(504, "CHANNEL_ERROR - second 'channel.open' seen", 20, 10));
    }
  }

  @Test
  void aMethodOnTheChannelAfterCloseOkNeedsChannelOpenFirst() throws Exception {
    try (RawAmqp raw = withChannelClosedByBroker()) {
      raw.sendMethod(1, new ChannelCloseOk());
      raw.sendMethod(1, new BasicQos(0, 1, false));
      assertThat(raw.expectConnectionClose())
          .isEqualTo(new ConnectionClose(504, "CHANNEL_ERROR - expected 'channel.open'", 60, 10));
    }
  }

  @Test
  void aClientCloseOfAnOpenChannelIsAnsweredWithCloseOk() throws Exception {
    try (RawAmqp raw = RawAmqp.open(broker.port())) {
      raw.openChannel(1);
      raw.sendMethod(1, new ChannelClose(200, "done", 0, 0));
      raw.expect(ChannelCloseOk.class);
      raw.openChannel(1);
    }
  }
}
