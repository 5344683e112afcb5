package io.warrenmq.broker.consumer;

import io.warrenmq.broker.view.ChannelView;
import org.jspecify.annotations.Nullable;

/**
 * The port through which a queue hands deliveries to the AMQP channel that owns a consumer; the
 * server's channel implements it. Queues call it from their dispatching thread while holding their
 * lock, so every method must be thread-safe, quick and non-blocking.
 */
public interface DeliveryTarget {
  /**
   * Whether the channel accepts more deliveries now: it is open, its flow is on and its connection
   * is writable (or its backlog of unwritten deliveries is small). A queue skips a consumer whose
   * target is not ready; the channel calls {@link Consumer#queueReady()} when it becomes ready.
   */
  boolean ready();

  /**
   * Delivers {@code message}, which no store holds, to no-ack {@code consumer}: the target copies
   * what it needs before returning (the message's buffers are borrowed). Returns false if it
   * cannot take it now; the queue then stores the message as usual.
   */
  default boolean deliverUnstored(Consumer consumer, io.warrenmq.broker.message.Message message) {
    return false;
  }

  /** Takes ownership of {@code delivery} for {@code consumer}; writes it on the channel's thread. */
  void deliver(Consumer consumer, Delivery delivery);

  /**
   * The broker cancelled {@code consumer} (its queue was deleted): the channel sends basic.cancel
   * if the client announced consumer_cancel_notify, and forgets the consumer.
   */
  void cancelledByBroker(Consumer consumer);

  /**
   * Whether this target is another node's consumer, reached over the inter-node link (a queue that
   * moves ends such consumers, and their node attaches them again, rather than moving them itself).
   */
  default boolean viaLink() {
    return false;
  }

  /** The channel behind this target, for listings (list_consumers' channel_pid); null if none. */
  default @Nullable ChannelView channel() {
    return null;
  }
}
