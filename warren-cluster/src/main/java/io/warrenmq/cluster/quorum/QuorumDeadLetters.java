package io.warrenmq.cluster.quorum;

import io.netty.buffer.ByteBuf;
import io.warrenmq.broker.queue.DeadLetter;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueHost;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a quorum queue's leader sends the messages it drops (x-dead-letter-exchange, from the
 * queue's arguments), at most once as RabbitMQ's default {@code x-dead-letter-strategy}: the
 * message is published to the exchange by the leader's node and then settled in the log, with no
 * confirm between the two. Expired, rejected (without requeue) and over-the-delivery-limit
 * messages are dead-lettered; the vhost's dead-letter publisher adds the {@code x-death} history.
 *
 * <p>Threading: {@link #add} is called under the queue's lock; the publishing runs on the vhost's
 * blocking executor, under no lock of the queue's.
 */
final class QuorumDeadLetters {
  private static final Logger log = LoggerFactory.getLogger(QuorumDeadLetters.class);

  private final Queue queue;
  private final QueueHost host;
  private final String exchange;
  private final @Nullable String routingKey;

  private QuorumDeadLetters(Queue queue, QueueHost host, String exchange, @Nullable String routingKey) {
    this.queue = queue;
    this.host = host;
    this.exchange = exchange;
    this.routingKey = routingKey;
  }

  /** The queue's dead-lettering, or null if it has no x-dead-letter-exchange. */
  static @Nullable QuorumDeadLetters of(Queue queue, @Nullable QueueHost host) {
    Object x = queue.spec().arguments().get("x-dead-letter-exchange");
    if (x == null || host == null) {
      return null;
    }
    Object rk = queue.spec().arguments().get("x-dead-letter-routing-key");
    return new QuorumDeadLetters(queue, host, x.toString(), rk == null ? null : rk.toString());
  }

  /** Dead-letters {@code record} (taken over) for {@code reason}: expired, rejected or delivery_limit. */
  void add(ByteBuf record, String reason) {
    DeadLetter letter = new DeadLetter(record, reason);
    try {
      host.blocking().execute(() -> host.deadLetter(queue, exchange, routingKey, List.of(letter)));
    } catch (RuntimeException e) {
      record.release();
      log.warn("{}: a dead letter was dropped: {}", queue.spec().resource(), e.toString());
    }
  }
}
