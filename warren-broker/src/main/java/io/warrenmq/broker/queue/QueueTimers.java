package io.warrenmq.broker.queue;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A queue's timers on the broker's timer thread: the next message deadline (TTL), the next retry
 * and the x-expires deadline. Each keeps at most one pending task, rescheduled only when an earlier
 * deadline appears.
 *
 * <p>Threading: guarded by the owning queue's lock; the tasks call back into the queue, which
 * takes its lock.
 */
final class QueueTimers {
  private final ClassicQueue queue;
  private final ScheduledExecutorService timer;
  private @Nullable ScheduledFuture<?> expiryTask;
  private long expiryAt;
  private @Nullable ScheduledFuture<?> retryTask;
  private long retryAt;
  private @Nullable ScheduledFuture<?> unusedTask;
  private long lastUsed = System.currentTimeMillis();

  QueueTimers(ClassicQueue queue, ScheduledExecutorService timer) {
    this.queue = queue;
    this.timer = timer;
  }

  /** Makes sure the expiry timer fires by {@code at} (epoch ms; 0 = nothing to wait for). */
  void scheduleExpiry(long at) {
    if (at <= 0) {
      return;
    }
    if (expiryTask != null && !expiryTask.isDone() && expiryAt <= at) {
      return;
    }
    if (expiryTask != null) {
      expiryTask.cancel(false);
    }
    expiryAt = at;
    expiryTask = timer.schedule(this::fireExpiry, Math.max(0, at - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
  }

  private void fireExpiry() {
    queue.onExpiryTimer();
  }

  /**
   * Under the queue's lock, first thing in the expiry callback: the task that fired is no longer
   * pending, so the next deadline is scheduled (the running task is not done yet and would hide it).
   */
  void expiryFired() {
    expiryTask = null;
    expiryAt = 0;
  }

  void scheduleRetry(long at) {
    if (at <= 0) {
      return;
    }
    if (retryTask != null && !retryTask.isDone() && retryAt <= at) {
      return;
    }
    if (retryTask != null) {
      retryTask.cancel(false);
    }
    retryAt = at;
    retryTask = timer.schedule(this::fireRetry, Math.max(0, at - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
  }

  private void fireRetry() {
    queue.onRetryTimer();
  }

  /** As {@link #expiryFired()}, for the retry callback. */
  void retryFired() {
    retryTask = null;
    retryAt = 0;
  }

  /** The queue was used; with x-expires it expires {@code expires} ms from now if unused. */
  void touch(long expires) {
    lastUsed = System.currentTimeMillis();
    cancelUnused();
    if (expires > 0) {
      unusedTask = timer.schedule(queue::onUnusedTimer, expires, TimeUnit.MILLISECONDS);
    }
  }

  void cancelUnused() {
    if (unusedTask != null) {
      unusedTask.cancel(false);
      unusedTask = null;
    }
  }

  boolean unusedFor(long expires) {
    return expires > 0 && System.currentTimeMillis() - lastUsed >= expires - 1;
  }

  void cancelAll() {
    for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {expiryTask, retryTask, unusedTask}) {
      if (f != null) {
        f.cancel(false);
      }
    }
  }
}
