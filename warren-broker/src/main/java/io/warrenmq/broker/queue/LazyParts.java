package io.warrenmq.broker.queue;

import io.warrenmq.store.queue.PreparedStore;
import io.warrenmq.store.recovery.RecoveryReport;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A classic queue's lock and its {@link QueueParts}, built on first use. Until then the queue holds
 * the store directory it opened and answers what is asked of its store at boot (directory,
 * recovery report, clean stop) from that. Most idle queues opened a directory in which recovery
 * found nothing: they keep its name, its {@link StoreSite} (shared) and the clean-shutdown marker
 * taken at open, a few bytes; any other (a priority queue's levels) keeps its {@link
 * PreparedStore}s.
 *
 * <p>Threading: the parts are built under {@link #lock} and published through a volatile field,
 * so {@link #parts()} costs a volatile read once they exist; the idle fields are read and dropped
 * under the lock.
 */
abstract sealed class LazyParts permits ClassicQueue {
  /** Guards the queue's state and that of its parts (see {@link ClassicQueue}). */
  final ReentrantLock lock = new ReentrantLock();
  /** Built under the lock on first use; null while the queue is idle. */
  volatile @Nullable QueueParts parts;

  // while idle, under the lock: the store directory as opened (idleLevels), or for one in which
  // recovery found nothing, where it is (idleSite, idleDir) and its marker
  private PreparedStore @Nullable [] idleLevels;
  private @Nullable StoreSite idleSite;
  private @Nullable String idleDir;
  private long idleMarker;

  LazyParts(StoreSite site, String dirName, PreparedStore[] opened) {
    if (opened.length == 1 && opened[0].nothingRecovered()) {
      idleSite = site;
      idleDir = dirName;
      idleMarker = opened[0].marker();
    } else {
      idleLevels = opened;
    }
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
      idleLevels = null;
      idleSite = null;
      idleDir = null;
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

  /** Under the lock, while {@link #parts} is null: the store directory as opened. */
  private PreparedStore[] idle() {
    PreparedStore[] levels = idleLevels;
    if (levels != null) {
      return levels;
    }
    StoreSite site = idleSite;
    String dir = idleDir;
    if (site == null || dir == null) {
      throw new IllegalStateException("a queue without parts or store");
    }
    return new PreparedStore[] {PreparedStore.ofNothing(site.parent().resolve(dir), site.options(), idleMarker)};
  }
}
