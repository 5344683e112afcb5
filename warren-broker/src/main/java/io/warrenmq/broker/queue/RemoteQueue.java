package io.warrenmq.broker.queue;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Message;
import io.warrenmq.store.sync.Syncable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A classic queue of the cluster whose messages live on another node, its home: this node knows
 * its definition (the metadata log replicates it) so that declarations, bindings and listings
 * agree everywhere, but holds none of its messages. Publishes routed here are refused (a publisher
 * with confirms gets basic.nack); consuming, getting and purging answer 404 naming the home node,
 * as RabbitMQ answers for a queue whose node is down.
 *
 * <p>Threading: immutable but for the deleted flag.
 */
public final class RemoteQueue implements Queue {
  /** The owner of another node's exclusive queue: no connection of this node is it. */
  public static final Object ELSEWHERE = new Object() {
    @Override
    public String toString() {
      return "a connection on another node";
    }
  };

  private final QueueSpec spec;
  private final String node;
  private volatile boolean deleted;

  public RemoteQueue(QueueSpec spec, String node) {
    this.spec = spec;
    this.node = node;
  }

  @Override
  public QueueSpec spec() {
    return spec;
  }

  /** The node that holds the queue's messages. */
  public String node() {
    return node;
  }

  @Override
  public @Nullable String homeNode() {
    return node;
  }

  @Override
  public @Nullable Object exclusiveOwner() {
    return spec.exclusive() ? ELSEWHERE : null;
  }

  private AmqpException elsewhere() {
    return AmqpException.channelError(ReplyCode.NOT_FOUND,
        "%s is on node '%s': this version serves a classic queue's messages on its home node only, connect there",
        spec.resource(), node);
  }

  @Override
  public EnqueueResult enqueue(Message message) {
    return EnqueueResult.REJECTED;
  }

  @Override
  public Syncable syncTarget() {
    return () -> {};
  }

  @Override
  public @Nullable Delivery get(boolean noAck) {
    throw elsewhere();
  }

  @Override
  public void addConsumer(Consumer consumer) {
    throw elsewhere();
  }

  @Override
  public boolean removeConsumer(Consumer consumer) {
    return false;
  }

  @Override
  public List<Consumer> consumers() {
    return List.of();
  }

  @Override
  public long messageCount() {
    return 0;
  }

  @Override
  public long unackedCount() {
    return 0;
  }

  @Override
  public int consumerCount() {
    return 0;
  }

  @Override
  public long purge() {
    throw elsewhere();
  }

  @Override
  public void delete() {
    deleted = true;
  }

  @Override
  public boolean isDeleted() {
    return deleted;
  }

  @Override
  public void close() {}

  @Override
  public void ack(@Nullable Consumer consumer, long position) {}

  @Override
  public void ack(@Nullable Consumer consumer, long[] positions, int count) {}

  @Override
  public void requeue(@Nullable Consumer consumer, long[] positions, int count) {}

  @Override
  public void reject(@Nullable Consumer consumer, long[] positions, int count) {}

  @Override
  public void dispatch() {}

  @Override
  public String toString() {
    return "RemoteQueue[" + spec.resource() + " on " + node + "]";
  }
}
