package io.warrenmq.broker.stats;

import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * An exchange's message counters (rabbit_mgmt_metrics_collector exchange_stats_publish_in and
 * _publish_out): publishes into it, and the queue deliveries those publishes were routed to.
 * Adders, because every publisher's event loop counts into the same exchange.
 *
 * <p>Threading: thread-safe; {@link #sample} belongs to the sampler.
 */
public final class ExchangeCounts {
  private final LongAdder publishIn = new LongAdder();
  private final LongAdder publishOut = new LongAdder();
  private volatile @Nullable RateSample sample;

  /** A publish into the exchange that was routed to {@code queues} queues. */
  public void published(int queues) {
    publishIn.increment();
    if (queues > 0) {
      publishOut.add(queues);
    }
  }

  public long publishIn() {
    return publishIn.sum();
  }

  public long publishOut() {
    return publishOut.sum();
  }

  public @Nullable RateSample sample() {
    return sample;
  }

  public void sample(RateSample s) {
    sample = s;
  }
}
