package io.warrenmq.store.sync;

/**
 * What the {@link GroupCommitter} measures for the metrics endpoint: a histogram of force
 * (fsync/msync) latencies and one of batch sizes (requests completed per batch), with fixed
 * buckets. Nothing is allocated when a value is recorded.
 *
 * <p>Threading: recorded by the committer thread only (plain fields, no fence); read from any
 * thread, where a reader may see a count one step behind another (each value is whole).
 */
public final class SyncStats {
  /** Upper bounds of the force latency buckets, in seconds (the last bucket is +Inf). */
  public static final double[] LATENCY_BOUNDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, Double.POSITIVE_INFINITY
  };
  /** Upper bounds of the batch size buckets, in requests (the last bucket is +Inf). */
  public static final double[] BATCH_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, Double.POSITIVE_INFINITY};

  private final long[] latency = new long[LATENCY_BOUNDS.length];
  private final long[] batch = new long[BATCH_BOUNDS.length];
  private long latencyNanos;
  private long batchRequests;

  void force(long nanos) {
    latency[bucket(LATENCY_BOUNDS, nanos / 1e9)]++;
    latencyNanos += nanos;
  }

  void batch(int requests) {
    batch[bucket(BATCH_BOUNDS, requests)]++;
    batchRequests += requests;
  }

  private static int bucket(double[] bounds, double v) {
    int i = 0;
    while (v > bounds[i]) {
      i++;
    }
    return i;
  }

  /** Forces per latency bucket (not cumulative), by {@link #LATENCY_BOUNDS}. */
  public long[] latencyCounts() {
    return latency.clone();
  }

  /** The sum of every force's latency, in seconds. */
  public double latencySeconds() {
    return latencyNanos / 1e9;
  }

  /** Batches per size bucket (not cumulative), by {@link #BATCH_BOUNDS}. */
  public long[] batchCounts() {
    return batch.clone();
  }

  /** Requests completed in all batches. */
  public long batchRequests() {
    return batchRequests;
  }
}
