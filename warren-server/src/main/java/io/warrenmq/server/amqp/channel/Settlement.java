package io.warrenmq.server.amqp.channel;

import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.MessageSource;
import io.warrenmq.broker.stats.MessageCounts;
import org.jspecify.annotations.Nullable;

/**
 * Settles deliveries taken out of the {@link UnackedTracker}: consecutive entries of the same
 * queue and consumer go back in one call (one lock acquisition per run, not per message), and the
 * channel's shared prefetch credit is returned at the end.
 *
 * <p>Threading: confined to the connection's event loop; one instance per channel, reused.
 */
final class Settlement implements UnackedTracker.Visitor {
  /** What happens to the settled deliveries. */
  enum Op {
    ACK,
    /** Back to the queue at once (channel closed, basic.recover). */
    REQUEUE,
    /** The client asked for redelivery (nack/reject requeue=true): the queue's retry back-off applies. */
    RETRY,
    REJECT
  }

  private final AmqpChannel channel;
  private Op op = Op.ACK;
  private @Nullable MessageSource source;
  private @Nullable Consumer consumer;
  private long[] positions = new long[64];
  private int count;
  private int creditReturned;

  Settlement(AmqpChannel channel) {
    this.channel = channel;
  }

  Settlement begin(Op op) {
    this.op = op;
    this.creditReturned = 0;
    return this;
  }

  @Override
  public void settle(long tag, MessageSource s, @Nullable Consumer c, long position) {
    if (count > 0 && (s != source || c != consumer)) {
      flushRun();
    }
    source = s;
    consumer = c;
    if (count == positions.length) {
      positions = java.util.Arrays.copyOf(positions, count * 2);
    }
    positions[count++] = position;
    if (c != null) {
      creditReturned++;
    }
  }

  private void flushRun() {
    MessageSource s = source;
    if (count == 0 || s == null) {
      return;
    }
    switch (op) {
      case ACK -> {
        s.ack(consumer, positions, count);
        // rabbit_channel incr_queue_stats: ack counts what basic.ack settled
        channel.counts().add(MessageCounts.ACK, count);
      }
      case REQUEUE -> s.requeue(consumer, positions, count);
      case RETRY -> s.retry(consumer, positions, count);
      case REJECT -> s.reject(consumer, positions, count);
    }
    count = 0;
    source = null;
    consumer = null;
  }

  /** Ends a settlement: the last run goes to its queue and prefetch credit is returned. */
  void finish() {
    flushRun();
    if (creditReturned > 0) {
      channel.creditReturned(creditReturned);
      creditReturned = 0;
    }
  }
}
