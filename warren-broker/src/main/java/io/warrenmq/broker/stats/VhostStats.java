package io.warrenmq.broker.stats;

import io.warrenmq.broker.view.ConnectionView;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The statistics one vhost owns: the counts of its live channels and connections and what the
 * closed ones left behind, so that the vhost's and the overview's totals never go back when a
 * channel or a connection closes (RabbitMQ keeps the vhost's slide when a channel's entries are
 * deleted: rabbit_mgmt_metrics_collector, the "to delete" clauses add the last difference to
 * vhost_stats_*), the disk counts of its deleted queues, and its queue churn.
 *
 * <p>Threading: thread-safe. Channels and connections attach and retire under this object's
 * monitor, and the totals are read under it, so a closing channel is counted exactly once: either
 * live or retired. The channels' own counters are read without their owners' cooperation (stale
 * values, never torn).
 */
public final class VhostStats {
  private final Set<MessageCounts> channels = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<ConnectionView> connections = Collections.newSetFromMap(new IdentityHashMap<>());
  // guarded by this
  private final long[] retired = new long[MessageCounts.SIZE];
  private long retiredRecvOct;
  private long retiredSendOct;
  private final LongAdder queuesDeclared = new LongAdder();
  private final LongAdder queuesCreated = new LongAdder();
  private final LongAdder queuesDeleted = new LongAdder();

  /** A channel opened in this vhost. */
  public synchronized void attach(MessageCounts channel) {
    channels.add(channel);
  }

  /** The channel closed: its counts stay in the vhost's totals. Idempotent. */
  public synchronized void retire(MessageCounts channel) {
    if (channels.remove(channel)) {
      channel.addTo(retired);
    }
  }

  /** A queue is deleted: its disk reads and writes stay in the totals. */
  public synchronized void retireQueue(MessageCounts queue) {
    retired[MessageCounts.DISK_READS] += queue.get(MessageCounts.DISK_READS);
    retired[MessageCounts.DISK_WRITES] += queue.get(MessageCounts.DISK_WRITES);
  }

  /** A connection to this vhost is open (after connection.open). */
  public synchronized void attach(ConnectionView connection) {
    connections.add(connection);
  }

  /** The connection closed: its byte counts stay in the totals. Idempotent. */
  public synchronized void retire(ConnectionView connection) {
    if (connections.remove(connection)) {
      retiredRecvOct += connection.recvOct();
      retiredSendOct += connection.sendOct();
    }
  }

  /**
   * Adds the channel counters of the vhost (live and closed channels) and the disk counts of its
   * deleted queues into {@code sum}; the live queues' disk counts are the caller's to add.
   */
  public synchronized void addTo(long[] sum) {
    for (MessageCounts c : channels) {
      c.addTo(sum);
    }
    for (int i = 0; i < MessageCounts.SIZE; i++) {
      sum[i] += retired[i];
    }
  }

  /** Bytes received from the vhost's clients, open and closed connections (RabbitMQ's vhost recv_oct). */
  public synchronized long recvOct() {
    long n = retiredRecvOct;
    for (ConnectionView c : connections) {
      n += c.recvOct();
    }
    return n;
  }

  /** Bytes sent to the vhost's clients (send_oct). */
  public synchronized long sendOct() {
    long n = retiredSendOct;
    for (ConnectionView c : connections) {
      n += c.sendOct();
    }
    return n;
  }

  /** Channels that have published at least once (rabbitmq_global_publishers). */
  public synchronized int publishers() {
    int n = 0;
    for (MessageCounts c : channels) {
      if (c.get(MessageCounts.PUBLISH) > 0) {
        n++;
      }
    }
    return n;
  }

  /** A queue.declare that was not passive (rabbit_core_metrics queue_declared). */
  public void queueDeclared() {
    queuesDeclared.increment();
  }

  /** The declare created the queue (queue_created). */
  public void queueCreated() {
    queuesCreated.increment();
  }

  /** A queue was deleted, for whatever reason (queue_deleted). */
  public void queueDeleted() {
    queuesDeleted.increment();
  }

  public long queuesDeclared() {
    return queuesDeclared.sum();
  }

  public long queuesCreated() {
    return queuesCreated.sum();
  }

  public long queuesDeleted() {
    return queuesDeleted.sum();
  }
}
