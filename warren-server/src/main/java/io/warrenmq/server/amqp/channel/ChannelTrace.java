package io.warrenmq.server.amqp.channel;

import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.vhost.Firehose;
import java.util.List;

/**
 * A channel's taps into its vhost's {@link Firehose}: what it publishes and what it delivers is
 * copied to {@code amq.rabbitmq.trace} while tracing is on (rabbitmqctl trace_on). While it is
 * off each tap costs one volatile read.
 *
 * <p>Threading: {@link #enabled()} from any thread; the taps on the connection's event loop.
 */
final class ChannelTrace {
  private final Session session;
  private final int channel;

  ChannelTrace(Session session, int channel) {
    this.session = session;
    this.channel = channel;
  }

  /** Whether the vhost traces: deliveries must then go through the store (no unstored fast path). */
  boolean enabled() {
    return session.vhost().firehose().enabled();
  }

  /** A message was published and routed to {@code routed} (borrows {@code m}). */
  void published(Message m, List<Queue> routed) {
    Firehose firehose = session.vhost().firehose();
    if (firehose.enabled()) {
      firehose.published(m, routed, session.name(), channel, session.user().name());
    }
  }

  /** A basic.deliver or basic.get-ok is about to be written (borrows {@code d}). */
  void delivered(Delivery d) {
    Firehose firehose = session.vhost().firehose();
    if (firehose.enabled()) {
      firehose.delivered(d.source().name(), d.redelivered(), d.envelope(), session.name(), channel,
          session.user().name());
    }
  }
}
