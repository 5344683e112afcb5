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

  /**
   * In a cluster, the node that holds the queue's messages when it is not this one (a
   * {@link RemoteQueue}); null for a queue of this node.
   */
  default @Nullable String homeNode() {
    return null;
  }

  /**
   * The remote queue that serves this one's consumers, basic.get and counts now (a quorum queue
   * whose leader is another node), or null if this node serves them.
   */
  default @Nullable RemoteQueue servedBy() {
    return null;
  }

  /**
   * For a queue that neither this node nor a known other node serves now (a quorum queue whose
   * leader this node has not heard of yet): completes once one does, with its {@link #servedBy()}
   * (null: this node serves it), or fails with the queue's 404 after a few seconds. Null when
   * {@link #servedBy()} answers already.
   */
  default java.util.concurrent.@Nullable CompletableFuture<@Nullable RemoteQueue> awaitServer() {
    return null;
  }

  /** RabbitMQ's queue type name: {@code classic} or {@code quorum}. */
  default String type() {
    return "classic";
  }

  /** A replicated queue's members (node names, in placement order); null for a classic queue. */
  default @Nullable List<String> members() {
    return null;
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
   * Per-queue back-pressure, in the spirit of RabbitMQ's credit flow: whether publishers to this
   * queue are to stop reading their sockets until it catches up. {@link QueueFlow#NEVER} for a
   * queue that never slows them.
   */
  default QueueFlow flow() {
    return QueueFlow.NEVER;
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

  /**
   * The policies changed: {@code effective} is the queue's arguments combined with its policies
   * now. A classic queue takes its settings otherwise ({@code ClassicQueue.applySettings}).
   */
  default void policyChanged(io.warrenmq.broker.policy.EffectiveArguments effective) {}
}
