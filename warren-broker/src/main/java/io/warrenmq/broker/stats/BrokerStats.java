package io.warrenmq.broker.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Node-wide statistics: the connection and channel churn (RabbitMQ's connection_churn_metrics:
 * connection_created, connection_closed, channel_created, channel_closed), and what deleted vhosts
 * leave behind so that the overview's totals never go back.
 *
 * <p>Threading: thread-safe.
 */
public final class BrokerStats {
  private final LongAdder connectionsOpened = new LongAdder();
  private final LongAdder connectionsClosed = new LongAdder();
  private final LongAdder channelsOpened = new LongAdder();
  private final LongAdder channelsClosed = new LongAdder();
  // guarded by this: deleted vhosts' totals
  private final long[] retired = new long[MessageCounts.SIZE];
  private long retiredRecvOct;
  private long retiredSendOct;
  private long retiredQueuesDeclared;
  private long retiredQueuesCreated;
  private long retiredQueuesDeleted;

  public void connectionOpened() {
    connectionsOpened.increment();
  }

  public void connectionClosed() {
    connectionsClosed.increment();
  }

  public void channelOpened() {
    channelsOpened.increment();
  }

  public void channelClosed() {
    channelsClosed.increment();
  }

  public long connectionsOpened() {
    return connectionsOpened.sum();
  }

  public long connectionsClosed() {
    return connectionsClosed.sum();
  }

  public long channelsOpened() {
    return channelsOpened.sum();
  }

  public long channelsClosed() {
    return channelsClosed.sum();
  }

  /**
   * A vhost is deleted: its totals (including the live queues' disk counts in {@code totals})
   * stay in the node's.
   */
  public synchronized void retire(VhostStats vhost, long[] totals) {
    for (int i = 0; i < MessageCounts.SIZE; i++) {
      retired[i] += totals[i];
    }
    retiredRecvOct += vhost.recvOct();
    retiredSendOct += vhost.sendOct();
    retiredQueuesDeclared += vhost.queuesDeclared();
    retiredQueuesCreated += vhost.queuesCreated();
    retiredQueuesDeleted += vhost.queuesDeleted();
  }

  /** Adds the deleted vhosts' message totals into {@code sum}. */
  public synchronized void addRetiredTo(long[] sum) {
    for (int i = 0; i < MessageCounts.SIZE; i++) {
      sum[i] += retired[i];
    }
  }

  /** The deleted vhosts' {recv_oct, send_oct, queues declared, created, deleted}. */
  public synchronized long[] retiredChurnAndBytes() {
    return new long[] {retiredRecvOct, retiredSendOct, retiredQueuesDeclared, retiredQueuesCreated, retiredQueuesDeleted};
  }
}
