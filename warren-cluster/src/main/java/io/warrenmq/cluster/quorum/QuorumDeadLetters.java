package io.warrenmq.cluster.quorum;

import io.netty.buffer.ByteBuf;
import io.warrenmq.broker.policy.EffectiveArguments;
import io.warrenmq.broker.queue.DeadLetter;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueHost;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a quorum queue's leader sends the messages it drops (x-dead-letter-exchange, from the
 * queue's arguments or policy), at most once as RabbitMQ's default {@code x-dead-letter-strategy}: the
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
  private final Supplier<EffectiveArguments> settings;

  private QuorumDeadLetters(Queue queue, QueueHost host, Supplier<EffectiveArguments> settings) {
    this.queue = queue;
    this.host = host;
    this.settings = settings;
  }

  /**
   * The queue's dead-lettering (null without a vhost to publish to); {@code settings} are its
   * arguments with its policies now: dead-letter-exchange and dead-letter-routing-key are read
   * from them at each dead letter.
   */
  static @Nullable QuorumDeadLetters of(Queue queue, @Nullable QueueHost host, Supplier<EffectiveArguments> settings) {
    return host == null ? null : new QuorumDeadLetters(queue, host, settings);
  }

  /** Whether the queue has a dead-letter exchange now. */
  boolean enabled() {
    return settings.get().getString("dead-letter-exchange") != null;
  }

  /** Dead-letters {@code record} (taken over) for {@code reason}: expired, rejected or delivery_limit. */
  void add(ByteBuf record, String reason) {
    EffectiveArguments now = settings.get();
    String exchange = now.getString("dead-letter-exchange");
    if (exchange == null) {
      record.release(); // no dead-letter exchange (any more): the message is dropped
      return;
    }
    String routingKey = now.getString("dead-letter-routing-key");
    DeadLetter letter = new DeadLetter(record, reason);
    try {
      host.blocking().execute(() -> host.deadLetter(queue, exchange, routingKey, List.of(letter)));
    } catch (RuntimeException e) {
      record.release();
      log.warn("{}: a dead letter was dropped: {}", queue.spec().resource(), e.toString());
    }
  }
}
