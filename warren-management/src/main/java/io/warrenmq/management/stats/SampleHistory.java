package io.warrenmq.management.stats;

/**
 * A bounded history of one object's sampled values, in tiers as RabbitMQ's
 * {@code sample_retention_policies} keep them (rabbitmq_management_agent defaults: global
 * {@code [{605, 5}, {3660, 60}, {29400, 600}, {86400, 1800}]}, basic {@code [{605, 5}, {3600,
 * 60}]}): each tier is a ring of samples taken at least its step apart, covering its span. The
 * first tier's step is the sampler's interval. Memory is fixed at creation: nothing grows.
 *
 * <p>Threading: thread-safe (the sampler adds, requests query).
 */
final class SampleHistory {
  /** {span, step} in seconds of RabbitMQ's global retention policy (overview and vhosts). */
  static final long[][] GLOBAL = {{605, 5}, {3660, 60}, {29400, 600}, {86400, 1800}};
  /** The basic policy (queues, exchanges, channels, connections). */
  static final long[][] BASIC = {{605, 5}, {3600, 60}};
  /** At most this many samples in the first tier, whatever the interval. */
  private static final int MAX_FIRST_TIER = 1000;

  /** The points of a query, newest first: timestamps and, for each, the values. */
  record Points(long[] timestamps, long[][] values) {
    int length() {
      return timestamps.length;
    }
  }

  private static final class Tier {
    final long stepMs;
    final long[] ts;
    final long[] values;
    int next;
    int size;

    Tier(long stepMs, int capacity, int width) {
      this.stepMs = stepMs;
      this.ts = new long[capacity];
      this.values = new long[capacity * width];
    }
  }

  private final int width;
  private final Tier[] tiers;

  /**
   * @param width how many values each sample holds
   * @param intervalMs the sampler's interval: the first tier's step
   * @param policy {span, step} pairs in seconds, finest first
   */
  SampleHistory(int width, long intervalMs, long[][] policy) {
    this.width = width;
    this.tiers = new Tier[policy.length];
    for (int i = 0; i < policy.length; i++) {
      long step = i == 0 ? intervalMs : Math.max(intervalMs, policy[i][1] * 1000);
      int capacity = (int) Math.min(MAX_FIRST_TIER, policy[i][0] * 1000 / step) + 1;
      tiers[i] = new Tier(step, capacity, width);
    }
  }

  /** A tick's values at {@code atMs}: each tier keeps them if its step has passed since its last. */
  synchronized void add(long atMs, long[] v) {
    for (Tier t : tiers) {
      if (t.size > 0) {
        long lastTs = t.ts[(t.next - 1 + t.ts.length) % t.ts.length];
        // a tick that comes a little early still counts for its step
        if (atMs - lastTs < t.stepMs - t.stepMs / 10) {
          continue;
        }
      }
      t.ts[t.next] = atMs;
      System.arraycopy(v, 0, t.values, t.next * width, width);
      t.next = (t.next + 1) % t.ts.length;
      t.size = Math.min(t.size + 1, t.ts.length);
    }
  }

  /**
   * The values at {@code last}, {@code last - incr}, ... down to {@code first}: each point holds
   * the newest sample taken at or before its time (exometer_slide:to_list fills a range the same
   * way), from the finest tier that reaches back to {@code first} (or the one reaching back
   * furthest). Points older than every sample are left out.
   */
  synchronized Points query(long first, long last, long incr) {
    Tier best = null;
    for (Tier t : tiers) {
      if (t.size == 0) {
        continue;
      }
      if (best == null || oldest(t) < oldest(best)) {
        best = t;
      }
      if (oldest(t) <= first && t.stepMs <= incr) {
        best = t;
        break;
      }
    }
    int n = (int) ((last - first) / incr) + 1;
    long[] ts = new long[n];
    long[][] vals = new long[n][];
    int k = 0;
    if (best != null) {
      for (long at = last; at >= first && k < n; at -= incr) {
        int idx = newestAtOrBefore(best, at);
        if (idx < 0) {
          break;
        }
        ts[k] = at;
        vals[k] = java.util.Arrays.copyOfRange(best.values, idx * width, idx * width + width);
        k++;
      }
    }
    return new Points(java.util.Arrays.copyOf(ts, k), java.util.Arrays.copyOf(vals, k));
  }

  private static long oldest(Tier t) {
    int idx = t.size < t.ts.length ? 0 : t.next;
    return t.ts[idx];
  }

  /** The ring index of the newest sample at or before {@code at}, or -1. */
  private static int newestAtOrBefore(Tier t, long at) {
    for (int i = 1; i <= t.size; i++) {
      int idx = (t.next - i + t.ts.length) % t.ts.length;
      if (t.ts[idx] <= at) {
        return idx;
      }
    }
    return -1;
  }
}
