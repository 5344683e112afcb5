package io.warrenmq.broker.queue;

import io.warrenmq.broker.message.StoredRecords;
import io.warrenmq.store.index.DeadlineIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Message TTL without head-of-line blocking. Every record carries its deadline (x-message-ttl and
 * the per-message expiration, whichever is sooner). Messages under an unchanged queue TTL expire
 * in queue order, so checking the head is enough for them; a message that may be due before those
 * ahead of it (a per-message expiration, a TTL lowered by policy, a message behind one without a
 * deadline, a priority queue, a requeue) also has its (deadline, position) in a
 * {@link DeadlineIndex} (bounded heap, spilling to disk) and is dead-lettered at its deadline
 * wherever it sits. The index is rebuilt from the records after a restart (a marker file says
 * whether the queue ever held a message with a deadline).
 *
 * <p>Threading: guarded by the owning queue's lock.
 */
final class Expiry {
  private static final String MARKER = "expiring";
  private static final int INDEX_MEMORY = 16 * 1024;

  private final QueueStore store;
  private final Path dir;
  private @Nullable DeadlineIndex index;
  private boolean mayExpire;
  private boolean marked;
  /** The latest deadline appended since the queue was last empty; Long.MAX_VALUE after one without. */
  private long tail;

  Expiry(QueueStore store, Path dir) {
    this.store = store;
    this.dir = dir;
  }

  /** The deadline of a message: the sooner of queue TTL and per-message expiration; 0 = none. */
  static long deadline(long now, long queueTtl, long perMessageDeadline) {
    long q = queueTtl >= 0 ? now + queueTtl : 0;
    if (q == 0) {
      return perMessageDeadline;
    }
    return perMessageDeadline == 0 ? q : Math.min(q, perMessageDeadline);
  }

  /** The per-message expiration (AMQP expiration property, ms as a string) as a deadline, or 0. */
  static long perMessageDeadline(io.warrenmq.broker.message.Message m, long now) {
    String exp = m.summary().expiration();
    if (exp == null) {
      return 0;
    }
    try {
      return now + Long.parseLong(exp);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  boolean mayExpire() {
    return mayExpire;
  }

  /**
   * A message was appended at {@code pos} with {@code deadline} (0: none). Under the queue's TTL
   * alone deadlines grow in queue order and the head check finds them; one that is due before a
   * message ahead of it (after one without a deadline or with a later one, as when a policy lowers
   * the TTL, or anywhere in a priority queue, whose order is not the append order) is indexed, as
   * is every per-message expiration.
   */
  void appended(long pos, long deadline, boolean perMessage, boolean emptyBefore) {
    if (emptyBefore) {
      tail = 0;
    }
    if (deadline == 0) {
      tail = Long.MAX_VALUE;
      return;
    }
    boolean inOrder = !perMessage && store.maxLevel() == 0 && deadline >= tail;
    tail = Math.max(tail, deadline);
    enqueued(pos, deadline, !inOrder);
  }

  /** A message with a deadline was stored at {@code pos}; {@code indexed}: watched wherever it sits. */
  private void enqueued(long pos, long deadline, boolean indexed) {
    mayExpire = true;
    try {
      if (!marked) {
        marked = true;
        Path m = dir.resolve(MARKER);
        if (!Files.exists(m)) {
          Files.createDirectories(dir);
          Files.createFile(m);
        }
      }
      if (indexed) {
        index().add(deadline, pos);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A message with {@code deadline} (0: none) is ready again at {@code pos}: due there wherever it sits. */
  void watch(long pos, long deadline) {
    if (deadline == 0) {
      return;
    }
    try {
      index().add(deadline, pos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private DeadlineIndex index() {
    DeadlineIndex i = index;
    if (i == null) {
      i = new DeadlineIndex(dir.resolve("expiry-index"), INDEX_MEMORY, (d, pos) -> store.isReady(pos));
      index = i;
    }
    return i;
  }

  /** The head's deadline, 0 if it has none or the queue is empty. */
  long headDeadline() {
    if (!mayExpire) {
      return 0;
    }
    long[] d = {0};
    store.scanReady(1, (pos, payload) -> {
      d[0] = StoredRecords.expiresAt(payload);
      return false;
    });
    return d[0];
  }

  /** The earliest deadline known: the head's or the index's; 0 if none. */
  long nextDeadline() {
    long head = headDeadline();
    long idx = index == null ? Long.MAX_VALUE : index.nextDeadline();
    long next = Math.min(head == 0 ? Long.MAX_VALUE : head, idx);
    return next == Long.MAX_VALUE ? 0 : next;
  }

  /**
   * Expires the indexed messages that are due and still ready: {@code onExpired} sees each
   * position (and may read the record) before it is removed from the store.
   */
  void expireDue(long now, LongConsumer onExpired) throws IOException {
    if (index == null) {
      return;
    }
    index.pollDue(now, Integer.MAX_VALUE, (deadline, pos) -> {
      if (store.isReady(pos)) {
        onExpired.accept(pos);
        store.remove(pos);
      }
    });
  }

  /** After a restart: every ready message with a deadline goes back into the index. */
  void recover() {
    tail = Long.MAX_VALUE; // what is ahead of the next messages is not known: index them until the queue empties
    if (!Files.exists(dir.resolve(MARKER))) {
      return;
    }
    marked = true;
    mayExpire = true;
    store.scanReady(Integer.MAX_VALUE, (pos, payload) -> {
      long d = StoredRecords.expiresAt(payload);
      if (d != 0) {
        try {
          index().add(d, pos);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return true;
    });
  }

  void clear() {
    if (index != null) {
      index.clear();
    }
  }

  void close() {
    if (index != null) {
      index.close();
    }
  }
}
