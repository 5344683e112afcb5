package io.warrenmq.broker.queue;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Message;
import io.warrenmq.store.sync.RemoteSyncable;
import io.warrenmq.store.sync.Syncable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A classic queue of the cluster whose messages live on another node, its home: this node knows
 * its definition (the metadata log replicates it), and reaches its messages over the cluster's
 * {@link QueueLink}: publishes routed here are forwarded to the home node and confirmed once
 * stored there; a consumer here is a consumer there whose deliveries come back over the link,
 * within this channel's prefetch, and whose acknowledgements go back. Without a link (not yet
 * connected), publishes are refused (basic.nack) and consumers get 404 naming the home node, as
 * RabbitMQ answers for a queue whose node is down. basic.get, queue.purge and the counts of
 * queue.declare go to the home node too.
 *
 * <p>Threading: thread-safe; the consumers' state is guarded by this object's monitor, the
 * "queue lock" under which {@link Consumer} credit is taken and settled.
 */
public final class RemoteQueue implements Queue {
  /** The owner of another node's exclusive queue: no connection of this node is it. */
  public static final Object ELSEWHERE = new Object() {
    @Override
    public String toString() {
      return "a connection on another node";
    }
  };
  /** The home node caps what it sends ahead to a consumer here without a prefetch of its own. */
  static final int DEFAULT_LINK_PREFETCH = 256;
  /** How long a blocking call to the home node (queue.purge) waits. */
  static final int WAIT_SECONDS = 15;
  private static final Syncable NOTHING = () -> {};
  /** The forwarded publish that {@link #syncTarget()} answers for, per publishing thread. */
  private static final ThreadLocal<Forwarded> LAST = new ThreadLocal<>();

  private final QueueSpec spec;
  private final String node;
  private final Supplier<@Nullable QueueLink> link;
  private final Map<Consumer, RemoteConsumer> consumers = new LinkedHashMap<>();
  private QueueLink.@Nullable Getter getter;
  private volatile boolean deleted;
  final @Nullable Rehome rehome;

  /**
   * For a queue whose messages move between nodes (a quorum queue's leader): what becomes of the
   * consumers the node ends, and of settlements that come after.
   */
  public interface Rehome {
    /** The node ended {@code consumer} (not cancelled by its client): attach it where the queue is now. */
    void consumerEnded(Consumer consumer);

    /** Settlements of deliveries whose consumer ended here: they count where the queue is now. */
    void settleLost(QueueLink.Settlement op, long[] positions, int count);
  }

  public RemoteQueue(QueueSpec spec, String node, Supplier<@Nullable QueueLink> link) {
    this(spec, node, link, null);
  }

  public RemoteQueue(QueueSpec spec, String node, Supplier<@Nullable QueueLink> link, @Nullable Rehome rehome) {
    this.spec = spec;
    this.node = node;
    this.link = link;
    this.rehome = rehome;
  }

  public RemoteQueue(QueueSpec spec, String node) {
    this(spec, node, () -> null);
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

  private AmqpException elsewhere(String what) {
    return AmqpException.channelError(ReplyCode.NOT_FOUND,
        "%s is on node '%s': %s through another node is not supported yet, connect there",
        spec.resource(), node, what);
  }

  // ---------------------------------------------------------------- publishing

  /**
   * Forwards the message to the home node. The result is STORED_DURABLE whatever the message: the
   * confirm waits for the home node's answer, which {@link #syncTarget()} stands for.
   */
  @Override
  public EnqueueResult enqueue(Message message) {
    QueueLink l = link.get();
    if (l == null || deleted) {
      return EnqueueResult.REJECTED;
    }
    LAST.set(new Forwarded(l.publish(node, spec, message)));
    return EnqueueResult.STORED_DURABLE;
  }

  /**
   * The forwarded publish this thread made last ({@link #enqueue} and then this, as publishers
   * call them): its confirm waits for the home node, without blocking the group committer.
   */
  @Override
  public Syncable syncTarget() {
    Forwarded f = LAST.get();
    LAST.remove();
    return f == null ? NOTHING : f;
  }

  private record Forwarded(CompletableFuture<Void> durable) implements RemoteSyncable {}

  // ---------------------------------------------------------------- consuming

  /** Synchronous basic.get is not forwarded: channels call {@link #getRemote}. */
  @Override
  public @Nullable Delivery get(boolean noAck) {
    throw elsewhere("basic.get");
  }

  /**
   * basic.get on the home node: the delivery (its source this queue) and the home's message count
   * after it, or null if the queue is empty there; fails with 404 when the home cannot be reached.
   */
  public CompletableFuture<@Nullable Got> getRemote(boolean noAck) {
    QueueLink l = link.get();
    if (l == null || deleted) {
      return CompletableFuture.failedFuture(elsewhere("basic.get"));
    }
    QueueLink.Getter g;
    synchronized (this) {
      g = getter;
      if (g == null) {
        g = getter = l.getter(node, spec);
      }
    }
    return g.get(noAck).handle((got, e) -> {
      if (e != null) {
        throw unreachable(e);
      }
      if (got == null) {
        return null;
      }
      return new Got(new Delivery(null, this, got.position(), got.redelivered(), got.deliveryCount(), noAck,
          got.record()), got.messageCount());
    });
  }

  /** What {@link #getRemote} took: the delivery, OWNED by the caller, and the messages left. */
  public record Got(Delivery delivery, long messageCount) {}

  @Override
  public void addConsumer(Consumer consumer) {
    QueueLink l = link.get();
    if (l == null || deleted) {
      throw elsewhere("consuming");
    }
    RemoteConsumer r = new RemoteConsumer(this, consumer);
    synchronized (this) {
      consumers.put(consumer, r);
      int prefetch = consumer.noAck() || consumer.prefetch() == 0 ? DEFAULT_LINK_PREFETCH : consumer.prefetch();
      r.subscription = l.consume(node, spec, prefetch, consumer.exclusive(), consumer.priority(), consumer.arguments(), r);
    }
  }

  @Override
  public boolean removeConsumer(Consumer consumer) {
    synchronized (this) {
      RemoteConsumer r = consumers.get(consumer);
      if (r == null) {
        return false;
      }
      consumer.deactivate();
      r.returnWaiting();
      if (r.subscription != null) {
        r.subscription.cancel();
      }
      r.cancelled = true;
      r.forgetIfSettled();
    }
    return false; // an auto-delete queue is its home node's to delete
  }

  @Override
  public synchronized List<Consumer> consumers() {
    List<Consumer> out = new ArrayList<>();
    for (RemoteConsumer r : consumers.values()) {
      if (!r.cancelled) {
        out.add(r.consumer);
      }
    }
    return out;
  }

  /** The channel of a consumer became ready: hand it what waits for it. */
  @Override
  public synchronized void dispatch() {
    for (RemoteConsumer r : List.copyOf(consumers.values())) {
      r.drain();
    }
  }

  @Override
  public void ack(@Nullable Consumer consumer, long position) {
    settle(consumer, QueueLink.Settlement.ACK, new long[] {position}, 1);
  }

  @Override
  public void ack(@Nullable Consumer consumer, long[] positions, int count) {
    settle(consumer, QueueLink.Settlement.ACK, positions, count);
  }

  @Override
  public void requeue(@Nullable Consumer consumer, long[] positions, int count) {
    settle(consumer, QueueLink.Settlement.REQUEUE, positions, count);
  }

  @Override
  public void reject(@Nullable Consumer consumer, long[] positions, int count) {
    settle(consumer, QueueLink.Settlement.REJECT, positions, count);
  }

  private synchronized void settle(@Nullable Consumer consumer, QueueLink.Settlement op, long[] positions, int count) {
    if (consumer == null) {
      if (getter != null) {
        getter.settle(op, positions, count); // deliveries of basic.get
      }
      return;
    }
    RemoteConsumer r = consumers.get(consumer);
    if (r == null) {
      if (rehome != null) {
        rehome.settleLost(op, positions, count); // the queue moved meanwhile
      }
      return; // the link broke meanwhile: the home node put them back
    }
    consumer.settled(count);
    r.outstanding -= count;
    if (r.subscription != null) {
      r.subscription.settle(op, positions, count);
    }
    r.forgetIfSettled();
    r.drain();
  }

  /** Under the lock: forgets a consumer that ended or was cancelled with nothing out. */
  synchronized void forget(Consumer consumer) {
    consumers.remove(consumer);
  }

  // ---------------------------------------------------------------- the rest

  @Override
  public long messageCount() {
    return 0;
  }

  @Override
  public long unackedCount() {
    return 0;
  }

  @Override
  public synchronized int consumerCount() {
    return consumers().size();
  }

  /** queue.purge on the home node; blocks (callers are on blocking threads) for at most {@link #WAIT_SECONDS}. */
  @Override
  public long purge() {
    QueueLink l = link.get();
    if (l == null || deleted) {
      throw elsewhere("queue.purge");
    }
    try {
      return l.purge(node, spec).get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(e);
    } catch (ExecutionException | TimeoutException e) {
      throw unreachable(e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
    }
  }

  /**
   * The queue's ready messages and consumers on its home node, {@code {messages, consumers}};
   * fails with 404 when the home cannot be reached.
   */
  public CompletableFuture<long[]> statusRemote() {
    QueueLink l = link.get();
    if (l == null || deleted) {
      return CompletableFuture.failedFuture(elsewhere("queue.declare"));
    }
    return l.status(node, spec).handle((counts, e) -> {
      if (e != null) {
        throw unreachable(e);
      }
      return counts;
    });
  }

  private AmqpException unreachable(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    return AmqpException.channelError(ReplyCode.NOT_FOUND, "%s: its node '%s' cannot be reached (%s)",
        spec.resource(), node, cause.getMessage());
  }

  @Override
  public void delete() {
    deleted = true;
    endAll("queue deleted");
  }

  private void endAll(String reason) {
    List<RemoteConsumer> all;
    synchronized (this) {
      all = List.copyOf(consumers.values());
    }
    for (RemoteConsumer r : all) {
      if (r.subscription != null) {
        r.subscription.cancel();
      }
      r.ended(reason);
    }
  }

  @Override
  public boolean isDeleted() {
    return deleted;
  }

  @Override
  public void close() {
    endAll("broker shutdown");
  }

  @Override
  public String toString() {
    return "RemoteQueue[" + spec.resource() + " on " + node + "]";
  }
}
