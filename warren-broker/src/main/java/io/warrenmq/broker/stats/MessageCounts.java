package io.warrenmq.broker.stats;

import org.jspecify.annotations.Nullable;

/**
 * The message counters of one channel or one queue, indexed by the constants below (RabbitMQ's
 * {@code message_stats} names: rabbit_mgmt_metrics.hrl, stats_per_table). A channel counts what it
 * publishes, confirms, returns, drops, delivers, gets and has acknowledged (channel_exchange_metrics
 * and channel_queue_metrics summed over exchanges and queues); a queue counts what publishers
 * routed to it (channel_queue_exchange_metrics), what it delivered, what was acknowledged, and its
 * disk reads and writes (queue_metrics).
 *
 * <p>Threading: one writer at a time, with no lock or fence of its own: a channel's counts are
 * written on the connection's event loop, a queue's under the queue's lock. Readers on other
 * threads (listings, the sampler, Prometheus) may see a stale value, never a torn one on a 64-bit
 * JVM; a value never goes back. {@link #sample} belongs to the sampler.
 */
public final class MessageCounts {
  public static final int PUBLISH = 0;
  public static final int CONFIRM = 1;
  public static final int RETURN_UNROUTABLE = 2;
  public static final int DROP_UNROUTABLE = 3;
  public static final int GET = 4;
  public static final int GET_NO_ACK = 5;
  public static final int DELIVER = 6;
  public static final int DELIVER_NO_ACK = 7;
  public static final int REDELIVER = 8;
  public static final int ACK = 9;
  public static final int GET_EMPTY = 10;
  public static final int DISK_READS = 11;
  public static final int DISK_WRITES = 12;
  /** Publishes received while the channel was in confirm mode (rabbit_global_counters messages_received_confirm). */
  public static final int RECEIVED_CONFIRM = 13;
  /** Queues the publishes were routed to, summed (rabbit_global_counters messages_routed). */
  public static final int ROUTED = 14;
  public static final int SIZE = 15;

  /** RabbitMQ's names of the counters, by index (the last two are Prometheus-only, unnamed in JSON). */
  public static final String[] NAMES = {
    "publish", "confirm", "return_unroutable", "drop_unroutable", "get", "get_no_ack", "deliver",
    "deliver_no_ack", "redeliver", "ack", "get_empty", "disk_reads", "disk_writes", "received_confirm", "routed"
  };

  private final long[] counts = new long[SIZE];
  private volatile @Nullable RateSample sample;

  /** Adds one to counter {@code i}; owner only. */
  public void add(int i) {
    counts[i]++;
  }

  /** Adds {@code n} to counter {@code i}; owner only. */
  public void add(int i, long n) {
    counts[i] += n;
  }

  /** Counter {@code i}; any thread (possibly stale). */
  public long get(int i) {
    return counts[i];
  }

  /** deliver + deliver_no_ack + get + get_no_ack, RabbitMQ's deliver_get. */
  public long deliverGet() {
    return counts[DELIVER] + counts[DELIVER_NO_ACK] + counts[GET] + counts[GET_NO_ACK];
  }

  /** Adds every counter into {@code sum} (at least {@link #SIZE} long); any thread. */
  public void addTo(long[] sum) {
    for (int i = 0; i < SIZE; i++) {
      sum[i] += counts[i];
    }
  }

  /** The sampler's memory of these counts, or null before the first sample. */
  public @Nullable RateSample sample() {
    return sample;
  }

  public void sample(RateSample s) {
    sample = s;
  }
}
