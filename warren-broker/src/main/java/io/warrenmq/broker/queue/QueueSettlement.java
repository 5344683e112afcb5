package io.warrenmq.broker.queue;

import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.stats.MessageCounts;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a classic queue settles what its consumers hand back: an ack removes the message for good,
 * a requeue makes it ready again at its place, a retry does so after the queue's retry back-off
 * (the retry timer puts it back), a reject dead-letters or drops it; a return past the delivery
 * limit is dead-lettered instead. Every settlement gives the consumer its credit back and
 * dispatches again.
 *
 * <p>Threading: each entry point takes the owning queue's lock and leaves through {@link
 * ClassicQueue#unlockAndFlush()}, which publishes the dead letters collected meanwhile with no lock
 * held; callers are consumers' channels (any event loop) and the timer thread. The work under the
 * lock is in-place writes to the store, never an fsync. Only primitive positions pass through
 * here: no buffer, nothing allocated per message.
 */
final class QueueSettlement {
  private static final Logger log = LoggerFactory.getLogger(QueueSettlement.class);

  private final ClassicQueue queue;
  private final QueueStore store;
  private final QueueTimers timers;
  private final Expiry expiry;
  private final Retries retries;
  private final Disposal disposal;

  QueueSettlement(ClassicQueue queue, QueueStore store, QueueTimers timers, Expiry expiry, Retries retries,
      Disposal disposal) {
    this.queue = queue;
    this.store = store;
    this.timers = timers;
    this.expiry = expiry;
    this.retries = retries;
    this.disposal = disposal;
  }

  /** See {@link ClassicQueue#ack(Consumer, long[], int)}. */
  void ack(@Nullable Consumer consumer, long[] positions, int count) {
    queue.lock().lock();
    try {
      if (queue.deleted) {
        return;
      }
      for (int i = 0; i < count; i++) {
        disposal.acked(positions[i]);
      }
      queue.countsLocked().add(MessageCounts.ACK, count);
      settled(consumer, count);
    } finally {
      queue.unlockAndFlush();
    }
  }

  /** See {@link ClassicQueue#requeue(Consumer, long[], int)}. */
  void requeue(@Nullable Consumer consumer, long[] positions, int count) {
    queue.lock().lock();
    try {
      if (queue.deleted) {
        return;
      }
      for (int i = 0; i < count; i++) {
        // as quorum queues (rabbit_fifo return_one): a return past the delivery limit dead-letters
        if (disposal.overDeliveryLimitOnReturn(positions[i])) {
          disposal.discard(positions[i], "delivery_limit");
        } else {
          store.requeue(positions[i]);
          disposal.watchDeadline(positions[i]);
        }
      }
      if (expiry.mayExpire()) {
        queue.expireDue(System.currentTimeMillis());
      }
      // requeue_and_run: maybe_drop_head, so under drop-head the requeued head may go at once
      disposal.dropHeadOverLimit(queue.settings());
      settled(consumer, count);
    } finally {
      queue.unlockAndFlush();
    }
  }

  /** See {@link ClassicQueue#retry(Consumer, long[], int)}. */
  void retry(@Nullable Consumer consumer, long[] positions, int count) {
    QueueSettings s = queue.settings();
    if (!s.retries()) {
      requeue(consumer, positions, count);
      return;
    }
    queue.lock().lock();
    try {
      if (queue.deleted) {
        return;
      }
      long now = System.currentTimeMillis();
      for (int i = 0; i < count; i++) {
        long pos = positions[i];
        if (disposal.overDeliveryLimitOnReturn(pos)) {
          disposal.discard(pos, "delivery_limit");
          continue;
        }
        retries.delay(pos, now + s.retryDelayFor(store.deliveries(pos)));
      }
      timers.scheduleRetry(retries.nextDeadline());
      settled(consumer, count);
    } catch (IOException e) {
      queue.fail(e);
    } finally {
      queue.unlockAndFlush();
    }
  }

  /** See {@link ClassicQueue#reject(Consumer, long[], int)}. */
  void reject(@Nullable Consumer consumer, long[] positions, int count) {
    queue.lock().lock();
    try {
      if (queue.deleted) {
        return;
      }
      for (int i = 0; i < count; i++) {
        disposal.discard(positions[i], "rejected");
      }
      settled(consumer, count);
    } finally {
      queue.unlockAndFlush();
    }
  }

  /** Timer: retried messages whose back-off is over are ready again, at their place. */
  void onRetryTimer() {
    queue.lock().lock();
    try {
      timers.retryFired();
      if (queue.deleted) {
        return;
      }
      long now = System.currentTimeMillis();
      // back at their place like any requeue: deadlines that ran out during the back-off are due now
      retries.releaseDue(now, disposal::watchDeadline);
      if (expiry.mayExpire()) {
        queue.expireDue(now);
      }
      timers.scheduleRetry(retries.nextDeadline());
      queue.dispatchLocked(now);
    } catch (IOException e) {
      log.error("retry timer of {} failed", queue.spec().resource(), e);
    } finally {
      queue.unlockAndFlush();
    }
  }

  /** Under the lock: deliveries of {@code consumer} were settled; it may take more. */
  private void settled(@Nullable Consumer consumer, int count) {
    if (consumer != null) {
      consumer.settled(count);
    }
    queue.dispatchLocked(System.currentTimeMillis());
  }
}
