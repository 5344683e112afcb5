package io.warrenmq.broker.queue;

import io.warrenmq.store.queue.PreparedStore;
import io.warrenmq.store.recovery.CleanShutdown;
import io.warrenmq.store.recovery.RecoveryReport;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A classic queue's lock and its {@link QueueParts}, both made on first use. Until then the queue
 * holds where its store directory is and answers what is asked of its store at boot (directory,
 * recovery report, clean stop) from that. Most idle queues opened a directory in which recovery
 * found nothing: they keep its {@link StoreSite} (shared), its name as a number ({@link
 * StoreDirName}) and the clean-shutdown marker taken at open, a few bytes; any other (a priority
 * queue's levels) keeps its {@link PreparedStore}s until the parts are built.
 *
 * <p>Threading: the parts are built under {@link #lock()} and published through a volatile field,
 * so {@link #parts()} costs a volatile read once they exist; {@link #idleLevels} is read and
 * dropped under the lock; the final fields are read without it.
 */
abstract sealed class LazyParts permits ClassicQueue {
  private static final VarHandle LOCK;

  static {
    try {
      LOCK = MethodHandles.lookup().findVarHandle(LazyParts.class, "lock", ReentrantLock.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** See {@link #lock()}: made on first use, as 100,000 idle queues need none (40 bytes each). */
  private volatile @Nullable ReentrantLock lock;
  /** Built under the lock on first use; null while the queue is idle. */
  volatile @Nullable QueueParts parts;

  /**
   * Shared by the vhost's queues of one kind: where the store directory is ({@code site}'s parent
   * and the name of {@link #dirCode}), the allocator and the host.
   */
  final StoreSite site;
  /** The store directory's name as {@link StoreDirName#encode} made it; see {@link #dirOther}. */
  private final long dirCode;
  /** The store directory's name when it is of no form {@link StoreDirName} encodes, else null. */
  private final @Nullable String dirOther;
  /** Whether recovery found nothing at open: the store is then {@link #site}, the name and {@link #marker}. */
  private final boolean nothingRecovered;
  /** The clean-shutdown marker taken at open (see {@link PreparedStore#marker()}). */
  private final long marker;
  /** Under the lock, while idle, when recovery found something (a priority queue's levels): the store as opened. */
  private PreparedStore @Nullable [] idleLevels;

  LazyParts(String queueName, StoreSite site, String dirName, PreparedStore[] opened) {
    this.site = site;
    long code = StoreDirName.encode(queueName, dirName);
    this.dirCode = code;
    this.dirOther = code == StoreDirName.OTHER ? dirName : null;
    this.nothingRecovered = opened.length == 1 && opened[0].nothingRecovered();
    this.marker = nothingRecovered ? opened[0].marker() : 0;
    this.idleLevels = nothingRecovered ? null : opened;
  }

  /**
   * Guards the queue's state and that of its parts (see {@link ClassicQueue}); made by the first
   * caller (any thread: the first to set it wins), the same lock ever after.
   */
  final ReentrantLock lock() {
    ReentrantLock l = lock;
    if (l == null) {
      ReentrantLock made = new ReentrantLock();
      l = (ReentrantLock) LOCK.compareAndExchange(this, null, made);
      if (l == null) {
        l = made;
      }
    }
    return l;
  }

  /** The queue's name (its store directory's name is made from it). */
  abstract String storeName();

  abstract QueueParts newParts(QueueStore store);

  /** The queue's parts, built on first use (any thread; takes the lock only to build them). */
  final QueueParts parts() {
    QueueParts p = parts;
    if (p != null) {
      return p;
    }
    lock().lock();
    try {
      return partsLocked();
    } finally {
      lock().unlock();
    }
  }

  /** Under the lock: see {@link #parts()}. */
  final QueueParts partsLocked() {
    QueueParts p = parts;
    if (p == null) {
      p = newParts(QueueStore.build(idle()));
      parts = p;
      idleLevels = null;
    }
    return p;
  }

  /** The store's directory (for the vhost's orphan check): fixed at open, read without the lock. */
  public final Path directory() {
    String name = dirOther != null ? dirOther : StoreDirName.decode(storeName(), dirCode);
    return site.parent().resolve(name);
  }

  /** What recovery found and did at open. */
  public final RecoveryReport recoveryReport() {
    if (nothingRecovered) {
      return RecoveryReport.EMPTY; // read without the lock: fixed at open
    }
    lock().lock();
    try {
      QueueParts p = parts;
      return p != null ? p.store.recoveryReport() : QueueStore.recoveryReport(idle());
    } finally {
      lock().unlock();
    }
  }

  /** Whether the store found its clean-shutdown marker at open (else its messages count as delivered). */
  public final boolean recoveredClean() {
    if (nothingRecovered) {
      return marker != CleanShutdown.ABSENT; // read without the lock: fixed at open
    }
    lock().lock();
    try {
      QueueParts p = parts;
      return p != null ? p.store.recoveredClean() : QueueStore.recoveredClean(idle());
    } finally {
      lock().unlock();
    }
  }

  /** Under the lock, while {@link #parts} is null: the store directory as opened. */
  private PreparedStore[] idle() {
    PreparedStore[] levels = idleLevels;
    if (levels != null) {
      return levels;
    }
    if (!nothingRecovered) {
      throw new IllegalStateException("a queue without parts or store");
    }
    return new PreparedStore[] {PreparedStore.ofNothing(directory(), site.options(), marker)};
  }
}
