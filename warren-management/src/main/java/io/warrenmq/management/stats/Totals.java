package io.warrenmq.management.stats;

import static io.warrenmq.management.stats.StatsSampler.N;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.stats.BrokerStats;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.List;

/**
 * The sums the overview, the vhosts and the metrics endpoint show, read live from the broker:
 * vectors laid out as {@link StatsSampler}'s ({@code MessageCounts} totals, then recv_oct,
 * send_oct, ready, unacknowledged and total messages, then for the node the churn).
 *
 * <p>Threading: thread-safe (reads of the broker's thread-safe counters).
 */
public final class Totals {
  private Totals() {}

  /** A vhost's vector ({@link StatsSampler#V_WIDTH} values). */
  public static long[] vhost(VirtualHost vh) {
    long[] v = new long[StatsSampler.V_WIDTH];
    System.arraycopy(vh.messageTotals(), 0, v, 0, N);
    v[StatsSampler.V_RECV] = vh.stats().recvOct();
    v[StatsSampler.V_SEND] = vh.stats().sendOct();
    vh.forEachQueue(q -> {
      long ready = q.messageCount();
      long unacked = q.unackedCount();
      v[StatsSampler.V_READY] += ready;
      v[StatsSampler.V_UNACKED] += unacked;
      v[StatsSampler.V_MESSAGES] += ready + unacked;
    });
    return v;
  }

  /** The node's vector ({@link StatsSampler#O_WIDTH} values): every vhost, deleted ones' totals, the churn. */
  public static long[] node(Broker broker) {
    return node(broker, broker.vhosts());
  }

  static long[] node(Broker broker, List<VirtualHost> vhosts) {
    long[] v = new long[StatsSampler.O_WIDTH];
    for (VirtualHost vh : vhosts) {
      long[] one = vhost(vh);
      for (int i = 0; i < one.length; i++) {
        v[i] += one[i];
      }
    }
    addRetired(broker, v);
    return v;
  }

  /** Adds what deleted vhosts left and the node's churn into {@code v} (an overview vector). */
  static void addRetired(Broker broker, long[] v) {
    BrokerStats bs = broker.stats();
    long[] retired = new long[N];
    bs.addRetiredTo(retired);
    for (int i = 0; i < N; i++) {
      v[i] += retired[i];
    }
    long[] old = bs.retiredChurnAndBytes();
    v[StatsSampler.V_RECV] += old[0];
    v[StatsSampler.V_SEND] += old[1];
    long[] churn = churn(broker);
    System.arraycopy(churn, 0, v, StatsSampler.O_CHURN, churn.length);
  }

  /**
   * connection_created, connection_closed, channel_created, channel_closed, queue_declared,
   * queue_created, queue_deleted (RabbitMQ's connection_churn_metrics), deleted vhosts included.
   */
  public static long[] churn(Broker broker) {
    BrokerStats bs = broker.stats();
    long[] old = bs.retiredChurnAndBytes();
    long declared = old[2];
    long created = old[3];
    long deleted = old[4];
    for (VirtualHost vh : broker.vhosts()) {
      declared += vh.stats().queuesDeclared();
      created += vh.stats().queuesCreated();
      deleted += vh.stats().queuesDeleted();
    }
    return new long[] {bs.connectionsOpened(), bs.connectionsClosed(), bs.channelsOpened(), bs.channelsClosed(),
        declared, created, deleted};
  }
}
