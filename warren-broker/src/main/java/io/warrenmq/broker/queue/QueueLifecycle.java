package io.warrenmq.broker.queue;

import io.warrenmq.broker.consumer.Consumer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a classic queue as a whole rather than to one message: at open it rebuilds what
 * depends on the recovered records (expiry deadlines, deduplication ids); it counts as used or
 * unused for x-expires; it is purged; it is deleted (consumers cancelled, files removed); it is
 * closed at broker shutdown, leaving the store's clean-shutdown marker when it can.
 *
 * <p>Threading: each entry point takes the owning queue's lock; the x-expires timer runs on the
 * timer thread. Deletion tells the cancelled consumers and hands the files to the host's blocking
 * executor after the lock is released; the graceful close at broker shutdown forces the store
 * under the lock, the one critical section with an fsync. No buffer passes through here.
 */
final class QueueLifecycle {
  private static final Logger log = LoggerFactory.getLogger(QueueLifecycle.class);

  private final ClassicQueue queue;
  private final QueueStore store;
  private final QueueHost host;
  private final ConsumerSet consumers;
  private final QueueTimers timers;
  private final Expiry expiry;
  private final Retries retries;
  private final Deduplication dedup;
  private final QueueFlow flow;

  QueueLifecycle(ClassicQueue queue, QueueStore store, QueueHost host, ConsumerSet consumers, QueueTimers timers,
      Expiry expiry, Retries retries, Deduplication dedup, QueueFlow flow) {
    this.flow = flow;
    this.queue = queue;
    this.store = store;
    this.host = host;
    this.consumers = consumers;
    this.timers = timers;
    this.expiry = expiry;
    this.retries = retries;
    this.dedup = dedup;
  }

  /** Right after the store opened: expiry deadlines and deduplication ids from the records. */
  void recover() throws IOException {
    queue.lock().lock();
    try {
      QueueSettings settings = queue.settings();
      if (store.readyCount() > 0) {
        expiry.recover();
        if (settings.deduplication()) {
          dedup.recover(store, settings.deduplicationCacheSize());
        }
        timers.scheduleExpiry(expiry.nextDeadline());
      }
      timers.touch(settings.expires());
    } finally {
      queue.lock().unlock();
    }
  }

  /** See {@link ClassicQueue#touch()}. */
  void touch() {
    queue.lock().lock();
    try {
      if (consumers.isEmpty()) {
        timers.touch(queue.settings().expires());
      }
    } finally {
      queue.lock().unlock();
    }
  }

  /** Timer: unused for x-expires; the vhost deletes the queue if it is still unused. */
  void onUnusedTimer() {
    boolean unused;
    queue.lock().lock();
    try {
      unused = !queue.deleted && consumers.isEmpty() && timers.unusedFor(queue.settings().expires());
    } finally {
      queue.lock().unlock();
    }
    if (unused) {
      log.info("{} expired after {} ms unused", queue.spec().resource(), queue.settings().expires());
      host.expired(queue);
    }
  }

  /** See {@link ClassicQueue#purge()}. */
  long purge() {
    queue.lock().lock();
    try {
      if (queue.deleted) {
        return 0;
      }
      long n = store.purge();
      dedup.clear();
      expiry.clear();
      flow.caughtUp(); // nothing left to fall behind on: paused publishers go on
      return n;
    } catch (UncheckedIOException e) {
      queue.fail(e.getCause());
      return 0;
    } finally {
      queue.lock().unlock();
    }
  }

  /** See {@link ClassicQueue#delete()}. */
  void delete() {
    List<Consumer> cancelled;
    queue.lock().lock();
    try {
      if (queue.deleted) {
        return;
      }
      queue.deleted = true;
      timers.cancelAll();
      flow.caughtUp();
      cancelled = consumers.snapshot();
      consumers.clear();
      cancelled.forEach(Consumer::deactivate);
    } finally {
      queue.lock().unlock();
    }
    for (Consumer c : cancelled) {
      c.target().cancelledByBroker(c);
    }
    // the queue is gone for everyone now; its files go on a thread that may block
    host.blocking().execute(() -> {
      try {
        expiry.close();
        retries.close();
        store.deleteAll();
      } catch (IOException | RuntimeException e) {
        log.error("could not remove the files of {} in {}", queue.spec().resource(), store.directory(), e);
      }
    });
  }

  /** See {@link ClassicQueue#close()}. */
  void close() {
    queue.lock().lock();
    try {
      boolean clean = !queue.deleted && !queue.failed;
      queue.deleted = true;
      timers.cancelAll();
      consumers.clear();
      expiry.close();
      retries.close();
      if (clean) {
        try {
          store.closeCleanly();
        } catch (IOException e) {
          log.error("could not force the store of {} at shutdown; the next start counts its messages as delivered",
              queue.spec().resource(), e);
        }
      } else {
        store.close();
      }
    } finally {
      queue.lock().unlock();
    }
  }
}
