package io.warrenmq.broker.consumer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prefetch credit shared by all consumers of one channel: basic.qos with global=true, which
 * RabbitMQ interprets as a limit per channel (global=false limits each consumer). Queues acquire
 * credit from their dispatch threads; the channel releases it when acks arrive. As RabbitMQ's
 * rabbit_limiter counts its "volume": every delivery that needs an ack takes a unit, a no-ack
 * delivery takes none but is refused while the limit is reached ({@link #limitReached()}).
 * Thread-safe.
 */
public final class ChannelCredit {
  private final AtomicInteger unacked = new AtomicInteger();
  private volatile int limit;

  /** 0 = unlimited. */
  public void setLimit(int limit) {
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }

  public int unacked() {
    return unacked.get();
  }

  /**
   * Whether the channel is at (or over) its limit: a no-ack consumer may not receive now (RabbitMQ
   * rabbit_limiter, can_send refuses while prefetch_limit_reached, whatever AckRequired). One
   * volatile read when there is no limit.
   */
  public boolean limitReached() {
    int l = limit;
    return l > 0 && unacked.get() >= l;
  }

  /** Takes one unit of credit if the channel is under its limit. */
  public boolean tryAcquire() {
    while (true) {
      int l = limit;
      int cur = unacked.get();
      if (l > 0 && cur >= l) {
        return false;
      }
      if (unacked.compareAndSet(cur, cur + 1)) {
        return true;
      }
    }
  }

  /** Returns n units; returns true if the channel was at its limit before (dispatch may resume). */
  public boolean release(int n) {
    int before = unacked.getAndAdd(-n);
    int l = limit;
    return l > 0 && before >= l;
  }
}
