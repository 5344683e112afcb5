package io.warrenmq.broker.stats;

/**
 * What a rate needs of an object's values and nothing more: the values at the sampler's last tick
 * and how much each changed since the tick before, with the ticks' times (RabbitMQ computes
 * {@code details.rate} from the last two samples of its slide: rabbit_mgmt_stats
 * rate_from_last_increment). A rate is read from it on demand; nothing is computed per message.
 *
 * <p>Threading: written by the sampler thread only; read from any thread, where a reader racing a
 * tick may mix the two ticks' values of different counters (each value is itself whole).
 */
public final class RateSample {
  private final long[] last;
  private final long[] delta;
  private volatile long at;
  private volatile long interval;

  public RateSample(int size) {
    last = new long[size];
    delta = new long[size];
  }

  public int size() {
    return last.length;
  }

  /** A tick at {@code nowMs} found {@code values}. The first tick only remembers them. */
  public void tick(long[] values, long nowMs) {
    long previous = at;
    for (int i = 0; i < last.length; i++) {
      delta[i] = previous == 0 ? 0 : values[i] - last[i];
      last[i] = values[i];
    }
    interval = previous == 0 ? 0 : nowMs - previous;
    at = nowMs;
  }

  /**
   * Value {@code i}'s change per second over the last tick, or 0.0 before two ticks, or if the
   * last tick is older than two of the sampler's intervals (the object is no longer sampled: as
   * RabbitMQ shows a rate only while it is live).
   */
  public double rate(int i, long nowMs) {
    long dt = interval;
    if (dt <= 0 || nowMs - at > 2 * dt + 1000) {
      return 0.0;
    }
    return delta[i] * 1000.0 / dt;
  }

  /** Time of the last tick, epoch ms (0 before the first). */
  public long at() {
    return at;
  }

  /** Value {@code i} at the last tick. */
  public long last(int i) {
    return last[i];
  }
}
