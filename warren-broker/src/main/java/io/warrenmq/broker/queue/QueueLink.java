package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.message.Message;
import java.util.concurrent.CompletableFuture;

/**
 * How a cluster node reaches a classic queue on another node (a {@link RemoteQueue}): publishes
 * forwarded to the queue's home node, and consumers there whose deliveries come back here. The
 * cluster module implements it over its inter-node link.
 *
 * <p>Threading: every method is thread-safe and never blocks; results and deliveries arrive on
 * the link's threads.
 */
public interface QueueLink {
  /**
   * Forwards {@code message} (borrowed: copied before this returns) to queue {@code queue} on
   * {@code node}. Completes once the home node has stored it (fsynced there when persistent and
   * the queue durable) or dropped it because the queue is gone; exceptionally when it refused it
   * or the link failed (the publisher is then nacked: the message may or may not be there).
   */
  CompletableFuture<Void> publish(String node, QueueSpec queue, Message message);

  /**
   * Starts a consumer of {@code queue} on {@code node}, the home node settling its deliveries as
   * {@code prefetch} allows (at least 1); deliveries and the end go to {@code sink}.
   */
  Subscription consume(String node, QueueSpec queue, int prefetch, boolean exclusive, int priority,
      FieldTable arguments, Sink sink);

  /**
   * basic.get on {@code queue} on {@code node}, for this node's channels: the deliveries of all
   * gets of one queue are settled through the getter.
   */
  Getter getter(String node, QueueSpec queue);

  /** basic.get on one queue on its home node. */
  interface Getter {
    /**
     * The next message, or null if the queue is empty; exceptionally if the link failed. With
     * {@code noAck} the home node forgets it at once.
     */
    CompletableFuture<@org.jspecify.annotations.Nullable Got> get(boolean noAck);

    /** Settles what gets delivered and did not auto-ack (positions are the home queue's). */
    void settle(Settlement op, long[] positions, int count);
  }

  /**
   * A message basic.get took on the home node: its stored record is OWNED by the receiver; {@code
   * messageCount} is how many were left there.
   */
  record Got(long position, boolean redelivered, int deliveryCount, long messageCount, ByteBuf record) {}

  /** The queue's ready messages and consumers on its home node, as {@code {messages, consumers}}. */
  CompletableFuture<long[]> status(String node, QueueSpec queue);

  /** queue.purge on the home node: how many ready messages it removed. */
  CompletableFuture<Long> purge(String node, QueueSpec queue);

  /** One consumer on the home node. */
  interface Subscription {
    /** Settles deliveries of this consumer on the home node (positions are the home queue's). */
    void settle(Settlement op, long[] positions, int count);

    /** basic.cancel: no more deliveries; deliveries out stay to be settled. */
    void cancel();
  }

  /** What happened to the deliveries of a subscription. */
  enum Settlement { ACK, REQUEUE, REJECT }

  /** Where a subscription's deliveries go (called on a link thread, in order). */
  interface Sink {
    /** A delivery: its stored record is OWNED by the sink. */
    void deliver(long position, boolean redelivered, int deliveryCount, ByteBuf record);

    /**
     * The home node ended the consumer (the queue was deleted, an exclusive consumer is there) or
     * the link to it broke: the deliveries not settled go back to the queue there.
     */
    void ended(String reason);
  }
}
