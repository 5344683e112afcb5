package io.warrenmq.broker.queue;

import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.consumer.MessageSource;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.store.sync.Syncable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A queue, whatever its type: the seam where quorum queues will plug in later. Every method is
 * thread-safe; implementations serialise changes to their own state.
 */
public interface Queue extends MessageSource, Consumer.Dispatchable {
  QueueSpec spec();

  @Override
  default String name() {
    return spec().name();
  }

  /** The connection that owns an exclusive queue, else null. */
  @Nullable Object exclusiveOwner();

  /** Stores {@code message} (borrowed; copied into the store) and dispatches to consumers. */
  EnqueueResult enqueue(Message message);

  /**
   * {@link #enqueue} of a message a publisher routed here, counted as the queue's {@code publish}
   * (RabbitMQ counts only what channels deliver to queues: dead letters and the firehose's copies
   * are not publishes).
   */
  default EnqueueResult publish(Message message) {
    return enqueue(message);
  }

  /** The queue's message counters, or null while nothing was ever counted (idle queues carry none). */
  default @Nullable MessageCounts counts() {
    return null;
  }

  /** What the group committer forces before publishes that returned STORED_DURABLE are confirmed. */
  Syncable syncTarget();

  /** basic.get: takes the next ready message, or returns null if there is none. */
  @Nullable Delivery get(boolean noAck);

  /** Adds a consumer; throws 403 ACCESS_REFUSED if exclusivity forbids it. */
  void addConsumer(Consumer consumer);

  /** Removes a consumer; returns true if the queue is auto-delete and has just lost its last one. */
  boolean removeConsumer(Consumer consumer);

  List<Consumer> consumers();

  /** Ready messages. */
  long messageCount();

  /**
   * Per-queue back-pressure, in the spirit of RabbitMQ's credit flow: whether the queue holds a
   * backlog that its consumers cannot take because their connections cannot keep up, so publishers
   * to it are to stop reading their sockets until {@link #awaitCaughtUp} wakes them. Consumers
   * waiting for acks do not count. Any thread; a cheap volatile read.
   */
  default boolean behind() {
    return false;
  }

  /**
   * Any thread: if the queue is {@linkplain #behind() behind}, registers {@code wake} to run once it
   * has caught up and answers true; else registers nothing and answers false. {@code wake} may run
   * under the queue's lock and must only hand work to another thread.
   */
  default boolean awaitCaughtUp(Runnable wake) {
    return false;
  }

  /** Delivered and not yet acknowledged messages. */
  long unackedCount();

  int consumerCount();

  /** Removes every ready message; returns how many. */
  long purge();

  /** Cancels every consumer (basic.cancel to those who asked) and removes the messages for good. */
  void delete();

  boolean isDeleted();

  /** Stops the queue at broker shutdown, keeping its durable state on disk. */
  void close();
}
