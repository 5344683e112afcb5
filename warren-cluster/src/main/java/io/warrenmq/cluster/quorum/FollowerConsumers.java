package io.warrenmq.cluster.quorum;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.queue.RemoteQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The consumers of a quorum queue on a node that does not lead it: those attached to the leader
 * through the inter-node link, and those parked while no leader is known (RabbitMQ's consumers of
 * a queue without a leader get nothing until it has one). When the leader changes they are
 * attached again where it is now, on their own.
 *
 * <p>Threading: guarded by {@code lock}, the queue's monitor; the link calls are made outside it.
 */
final class FollowerConsumers {
  private final Object lock;
  private final Map<Consumer, RemoteQueue> viaLeader = new HashMap<>();
  private final List<Consumer> parked = new ArrayList<>();
  /** basic.get calls waiting for a leader: completed with its node's queue, or null when this node leads. */
  private final List<CompletableFuture<@Nullable RemoteQueue>> getters = new ArrayList<>();

  FollowerConsumers(Object lock) {
    this.lock = lock;
  }

  /** Under the lock: waits for a leader. */
  void park(Consumer c) {
    parked.add(c);
  }

  /** Under the lock: a basic.get waits for a leader ({@code f} given up on by then is dropped). */
  void awaitLeader(CompletableFuture<@Nullable RemoteQueue> f) {
    getters.removeIf(CompletableFuture::isDone);
    getters.add(f);
  }

  /** Under the lock: the basic.get calls waiting for a leader, taken (to complete outside the lock). */
  List<CompletableFuture<@Nullable RemoteQueue>> takeGetters() {
    List<CompletableFuture<@Nullable RemoteQueue>> out = List.copyOf(getters);
    getters.clear();
    return out;
  }

  /** Under the lock: the parked ones, taken (this node leads now and serves them itself). */
  List<Consumer> takeParked() {
    List<Consumer> out = List.copyOf(parked);
    parked.clear();
    return out;
  }

  /** Under the lock: whether a consumer waits for a leader. */
  boolean anyParked() {
    return !parked.isEmpty();
  }

  /** Under the lock: the parked consumers, taken to be attached through the leader's node {@code r}. */
  List<Consumer> takeParkedFor(RemoteQueue r) {
    List<Consumer> todo = takeParked();
    todo.forEach(c -> viaLeader.put(c, r));
    return todo;
  }

  /** Under the lock: {@code c} is attached through the leader's node {@code r} (then {@link #attach}). */
  void via(Consumer c, RemoteQueue r) {
    viaLeader.put(c, r);
  }

  /**
   * Not under the lock: attaches consumers taken or recorded for {@code r}. One the link refuses
   * waits for the next leader change ({@code repark}), or is forgotten and the refusal thrown.
   */
  void attach(List<Consumer> cs, RemoteQueue r, boolean repark) {
    for (Consumer c : cs) {
      try {
        r.addConsumer(c);
      } catch (AmqpException e) {
        synchronized (lock) {
          viaLeader.remove(c);
          if (repark) {
            parked.add(c); // the link is not up yet: at the next leader change or end
          }
        }
        if (!repark) {
          throw e;
        }
      }
    }
  }

  /** Under the lock: the link ended {@code c}'s attachment; it waits for the next leader. */
  void ended(Consumer c) {
    viaLeader.remove(c);
    parked.add(c);
  }

  /** Under the lock: forgets {@code c}; the leader's node it was attached through, or null. */
  @org.jspecify.annotations.Nullable RemoteQueue remove(Consumer c) {
    RemoteQueue r = viaLeader.remove(c);
    if (r == null) {
      parked.remove(c);
    }
    return r;
  }

  /** Under the lock: adds every consumer to {@code into}. */
  void addAllTo(List<Consumer> into) {
    into.addAll(viaLeader.keySet());
    into.addAll(parked);
  }

  /** Under the lock. */
  int size() {
    return viaLeader.size() + parked.size();
  }

  /** Under the lock: the leaders' nodes consumers are attached through. */
  List<RemoteQueue> links() {
    return viaLeader.values().stream().distinct().toList();
  }

  /** The queue closes: every consumer is cancelled (the attached ones at the leader too). */
  void cancelAll() {
    List<Consumer> waiting;
    List<Map.Entry<Consumer, RemoteQueue>> attached;
    synchronized (lock) {
      waiting = takeParked();
      attached = List.copyOf(viaLeader.entrySet());
      viaLeader.clear();
    }
    for (Consumer c : waiting) {
      c.deactivate();
      c.target().cancelledByBroker(c);
    }
    for (Map.Entry<Consumer, RemoteQueue> e : attached) {
      e.getValue().removeConsumer(e.getKey());
      e.getKey().target().cancelledByBroker(e.getKey());
    }
  }

  /** Under the lock: what quorum_status shows. */
  void describe(Map<String, Object> m) {
    m.put("consumers via the leader", viaLeader.size());
    m.put("consumers waiting for a leader", parked.size());
  }
}
