package io.warrenmq.broker.queue;

import io.warrenmq.store.queue.PreparedStore;
import io.warrenmq.store.recovery.RecoveryReport;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A classic queue's lock and its {@link QueueParts}, built on first use: until then the queue
 * holds the store directory it opened ({@link PreparedStore}, one per priority level) and answers
 * what is asked of its store at boot (directory, recovery report, clean stop) from that.
 *
 * <p>Threading: the parts are built under {@link #lock} and published through a volatile field,
 * so {@link #parts()} costs a volatile read once they exist; the opened directory is read and
 * dropped under the lock.
 */
abstract sealed class LazyParts permits ClassicQueue {
  /** Guards the queue's state and that of its parts (see {@link ClassicQueue}). */
  final ReentrantLock lock = new ReentrantLock();
  /** Built under the lock on first use; null while the queue is idle. */
  volatile @Nullable QueueParts parts;
  /** The opened store directory while the queue is idle; null once {@link #parts} are built. */
  private PreparedStore @Nullable [] idleStore;

  LazyParts(PreparedStore[] idleStore) {
    this.idleStore = idleStore;
  }

  abstract QueueParts newParts(QueueStore store);

  /** The queue's parts, built on first use (any thread; takes the lock only to build them). */
  final QueueParts parts() {
    QueueParts p = parts;
    if (p != null) {
      return p;
    }
    lock.lock();
    try {
      return partsLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: see {@link #parts()}. */
  final QueueParts partsLocked() {
    QueueParts p = parts;
    if (p == null) {
      p = newParts(QueueStore.build(idle()));
      parts = p;
      idleStore = null;
    }
    return p;
  }

  /** The store's directory (for the vhost's orphan check). */
  public final Path directory() {
    lock.lock();
    try {
      QueueParts p = parts;
      return p != null ? p.store.directory() : QueueStore.directoryOf(idle());
    } finally {
      lock.unlock();
    }
  }

  public final RecoveryReport recoveryReport() {
    lock.lock();
    try {
      QueueParts p = parts;
      return p != null ? p.store.recoveryReport() : QueueStore.recoveryReport(idle());
    } finally {
      lock.unlock();
    }
  }

  /** Whether the store found its clean-shutdown marker at open (else its messages count as delivered). */
  public final boolean recoveredClean() {
    lock.lock();
    try {
      QueueParts p = parts;
      return p != null ? p.store.recoveredClean() : QueueStore.recoveredClean(idle());
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock, while {@link #parts} is null: the opened store directory. */
  private PreparedStore[] idle() {
    PreparedStore[] prepared = idleStore;
    if (prepared == null) {
      throw new IllegalStateException("a queue without parts or store");
    }
    return prepared;
  }
}
