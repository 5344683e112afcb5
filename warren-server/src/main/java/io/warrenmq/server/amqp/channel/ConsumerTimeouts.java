package io.warrenmq.server.amqp.channel;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.method.BasicCancel;
import io.warrenmq.broker.consumer.Consumer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * WarrenMQ's consumer timeout for one channel: a consumer holding a delivery unacknowledged for
 * longer than its timeout is cancelled (basic.cancel, if the client takes cancel notifications;
 * otherwise the channel is closed with 406, as RabbitMQ does) and its unacknowledged messages go
 * back to the queue. Other consumers on the channel carry on. A check runs every second once a
 * consumer with a timeout exists, until the channel closes; a late ack of a delivery taken back
 * this way is ignored rather than an unknown tag.
 *
 * <p>Threading: confined to the connection's event loop (the checks are scheduled on it). No
 * buffers: deliveries are settled by position through the channel's {@link Settlement}.
 */
final class ConsumerTimeouts {
  private final AmqpChannel channel;
  private final Session session;
  private final Consuming consuming;
  private final UnackedTracker unacked;
  private final Settlement settlement;
  private @Nullable ScheduledFuture<?> checks;
  /** Delivery tags of deliveries requeued by a consumer timeout: a late ack of them is ignored. */
  private final Set<Long> timedOutTags = new HashSet<>();

  ConsumerTimeouts(AmqpChannel channel, Session session, Consuming consuming, UnackedTracker unacked,
      Settlement settlement) {
    this.channel = channel;
    this.session = session;
    this.consuming = consuming;
    this.unacked = unacked;
    this.settlement = settlement;
  }

  /** A consumer was registered: with a timeout, the checks start (once per channel). */
  void consumerAdded(Consumer c) {
    if (c.timeoutMs() > 0 && checks == null) {
      checks = channel.sink().executor().scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * Whether {@code tag}, unknown to the tracker, names a delivery a timeout took back: it is
   * forgotten now, and its settlement is nothing to do.
   */
  boolean forgetTimedOut(long tag) {
    return timedOutTags.remove(tag);
  }

  /** The channel is closing: no more checks. */
  void stop() {
    if (checks != null) {
      checks.cancel(false);
      checks = null;
    }
  }

  private void check() {
    if (!channel.isOpen() || channel.suspended()) {
      return; // a suspended channel has a reply to send first; the next check comes in a second
    }
    long now = System.currentTimeMillis();
    long min = Long.MAX_VALUE;
    for (Consumer c : consuming.registered()) {
      if (c.timeoutMs() > 0) {
        min = Math.min(min, c.timeoutMs());
      }
    }
    if (min == Long.MAX_VALUE) {
      return;
    }
    Consumer c;
    while ((c = unacked.timedOut(now, min)) != null) {
      long timeout = c.timeoutMs();
      if (!session.consumerCancelNotify()) {
        channel.closeWithError(AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
            "delivery acknowledgement on channel %d timed out. Timeout value used: %d ms. This timeout value can be"
                + " configured, see consumers doc guide to learn more", channel.number(), timeout));
        channel.sink().flush();
        return;
      }
      // a consumer the client cancelled already only has its deliveries taken back: a cancel
      // would name a tag the client may have given to a new consumer
      boolean registered = consuming.dropTimedOut(c);
      long[] tags = unacked.removeConsumer(c, settlement.begin(Settlement.Op.REQUEUE));
      settlement.finish();
      for (long t : tags) {
        timedOutTags.add(t);
      }
      if (registered) {
        channel.sink().writeMethod(channel.number(), new BasicCancel(c.tag(), true));
        channel.sink().flush();
      }
    }
  }
}
