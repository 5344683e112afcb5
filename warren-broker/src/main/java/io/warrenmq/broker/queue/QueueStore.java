package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.store.queue.MessageStore;
import io.warrenmq.store.queue.PreparedStore;
import io.warrenmq.store.queue.StoreOptions;
import io.warrenmq.store.recovery.RecoveryReport;
import io.warrenmq.store.segment.SegmentPosition;
import io.warrenmq.store.sync.Syncable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The messages of one queue: a single {@link MessageStore}, or for a priority queue
 * (x-max-priority) one store per priority level, highest served first. A position here carries
 * its level in the top 8 bits (the store keeps segment ids below 2^24), so acks find their store.
 *
 * <p>Threading: as MessageStore: the owning queue's lock serialises everything but
 * {@link #force()} and the counters.
 */
final class QueueStore implements Syncable {
  private static final int LEVEL_SHIFT = 56;
  private static final long POS_MASK = (1L << LEVEL_SHIFT) - 1;

  private final Path dir;
  private final MessageStore[] levels;

  private QueueStore(Path dir, MessageStore[] levels) {
    this.dir = dir;
    this.levels = levels;
  }

  /** Opens (recovering if durable) the store of a queue with {@code maxPriority} levels above 0. */
  static QueueStore open(Path dir, StoreOptions options, int maxPriority) throws IOException {
    return build(prepare(dir, options, maxPriority));
  }

  /**
   * The disk work of {@link #open}, one {@link PreparedStore} per level (the directory of a
   * priority queue holds one directory per level); {@link #build} makes the store from them.
   */
  static PreparedStore[] prepare(Path dir, StoreOptions options, int maxPriority) throws IOException {
    if (maxPriority <= 0) {
      return new PreparedStore[] {MessageStore.prepare(dir, options)};
    }
    Files.createDirectories(dir);
    PreparedStore[] levels = new PreparedStore[maxPriority + 1];
    try {
      for (int i = 0; i <= maxPriority; i++) {
        levels[i] = MessageStore.prepare(dir.resolve(String.format("p%03d", i)), options);
      }
    } catch (IOException | RuntimeException e) {
      for (PreparedStore s : levels) {
        if (s != null) {
          s.build().close();
        }
      }
      throw e;
    }
    return levels;
  }

  /** The store over what {@link #prepare} opened; allocates only (any thread). */
  static QueueStore build(PreparedStore[] prepared) {
    MessageStore[] levels = new MessageStore[prepared.length];
    for (int i = 0; i < prepared.length; i++) {
      levels[i] = prepared[i].build();
    }
    return new QueueStore(directoryOf(prepared), levels);
  }

  /** The queue's directory: that of its one level, or the parent of a priority queue's levels. */
  static Path directoryOf(PreparedStore[] prepared) {
    Path d = prepared[0].dir();
    return prepared.length == 1 ? d : d.getParent();
  }

  /** Whether no level holds a segment: the queue starts empty. */
  static boolean empty(PreparedStore[] prepared) {
    for (PreparedStore s : prepared) {
      if (!s.empty()) {
        return false;
      }
    }
    return true;
  }

  Path directory() {
    return dir;
  }

  int maxLevel() {
    return levels.length - 1;
  }

  private static int level(long pos) {
    return (int) (pos >>> LEVEL_SHIFT);
  }

  private static long local(long pos) {
    return pos & POS_MASK;
  }

  private static long global(int level, long local) {
    return ((long) level << LEVEL_SHIFT) | local;
  }

  private MessageStore at(long pos) {
    return levels[level(pos)];
  }

  /** Appends at the level of {@code priority} (clamped to the queue's maximum). */
  long append(ByteBuf payload, boolean persistent, int weight, int priority) throws IOException {
    int l = Math.max(0, Math.min(priority, levels.length - 1));
    return global(l, levels[l].append(payload, persistent, weight));
  }

  /** The next ready message, highest priority first; taken (unacked) from now on. */
  long nextReady() {
    for (int l = levels.length - 1; l >= 0; l--) {
      if (levels[l].readyCount() > 0) {
        long p = levels[l].nextReady();
        if (p != SegmentPosition.NONE) {
          return global(l, p);
        }
      }
    }
    return SegmentPosition.NONE;
  }

  long peekReady() {
    for (int l = levels.length - 1; l >= 0; l--) {
      if (levels[l].readyCount() > 0) {
        long p = levels[l].peekReady();
        if (p != SegmentPosition.NONE) {
          return global(l, p);
        }
      }
    }
    return SegmentPosition.NONE;
  }

  ByteBuf read(long pos, ByteBufAllocator alloc) {
    return at(pos).read(local(pos), alloc);
  }

  int deliveries(long pos) {
    return at(pos).deliveries(local(pos));
  }

  int weight(long pos) {
    return at(pos).weight(local(pos));
  }

  void ack(long pos) {
    at(pos).ack(local(pos));
  }

  void requeue(long pos) {
    at(pos).requeue(local(pos));
  }

  /** Removes a ready record wherever it is; false if it is not ready (taken or gone). */
  boolean remove(long pos) {
    return at(pos).remove(local(pos));
  }

  boolean isReady(long pos) {
    return at(pos).isReady(local(pos));
  }

  boolean isTaken(long pos) {
    return at(pos).isTaken(local(pos));
  }

  /** Visits ready records in dispatch order (priority, then queue order); see MessageStore.scanReady. */
  int scanReady(int max, io.warrenmq.store.queue.ReadyVisitor v) {
    int seen = 0;
    for (int l = levels.length - 1; l >= 0 && seen < max; l--) {
      final int level = l;
      boolean[] stop = {false};
      seen += levels[l].scanReady(max - seen, (p, payload) -> {
        boolean more = v.visit(global(level, p), payload);
        stop[0] = !more;
        return more;
      });
      if (stop[0]) {
        break;
      }
    }
    return seen;
  }

  long purge() {
    long n = 0;
    for (MessageStore s : levels) {
      n += s.purge();
    }
    return n;
  }

  long readyCount() {
    long n = 0;
    for (MessageStore s : levels) {
      n += s.readyCount();
    }
    return n;
  }

  long readyWeight() {
    long n = 0;
    for (MessageStore s : levels) {
      n += s.readyWeight();
    }
    return n;
  }

  long unackedCount() {
    long n = 0;
    for (MessageStore s : levels) {
      n += s.unackedCount();
    }
    return n;
  }

  long diskBytes() {
    long n = 0;
    for (MessageStore s : levels) {
      n += s.diskBytes();
    }
    return n;
  }

  /** The recovery reports of every level, summed. */
  RecoveryReport recoveryReport() {
    RecoveryReport[] r = new RecoveryReport[levels.length];
    for (int i = 0; i < levels.length; i++) {
      r[i] = levels[i].recoveryReport();
    }
    return sum(r);
  }

  /** As {@link #recoveryReport()}, for a store not built yet. */
  static RecoveryReport recoveryReport(PreparedStore[] prepared) {
    RecoveryReport[] r = new RecoveryReport[prepared.length];
    for (int i = 0; i < prepared.length; i++) {
      r[i] = prepared[i].recoveryReport();
    }
    return sum(r);
  }

  private static RecoveryReport sum(RecoveryReport[] reports) {
    if (reports.length == 1) {
      return reports[0];
    }
    int seg = 0;
    int torn = 0;
    int del = 0;
    long rec = 0;
    long drop = 0;
    long bytes = 0;
    for (RecoveryReport r : reports) {
      seg += r.segmentsRecovered();
      rec += r.recordsRecovered();
      drop += r.transientDropped();
      torn += r.tornTails();
      bytes += r.bytesTruncated();
      del += r.segmentsDeleted();
    }
    return new RecoveryReport(seg, rec, drop, torn, bytes, del);
  }

  @Override
  public void force() throws IOException {
    for (MessageStore s : levels) {
      s.force();
    }
  }

  /** As {@link #recoveredClean()}, for a store not built yet. */
  static boolean recoveredClean(PreparedStore[] prepared) {
    for (PreparedStore s : prepared) {
      if (!s.recoveredClean()) {
        return false;
      }
    }
    return true;
  }

  /** Whether every level found its clean-shutdown marker (see MessageStore.recoveredClean). */
  boolean recoveredClean() {
    for (MessageStore s : levels) {
      if (!s.recoveredClean()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The graceful close of every level (MessageStore.closeCleanly: all forced, then its marker).
   * Each level has its own marker, so a failing level does not keep the others from theirs; the
   * first failure is thrown once all are closed.
   */
  void closeCleanly() throws IOException {
    IOException failure = null;
    for (MessageStore s : levels) {
      try {
        s.closeCleanly();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Closes every level without a marker: the next open counts the messages as delivered. */
  void close() {
    for (MessageStore s : levels) {
      s.close();
    }
  }

  void deleteAll() throws IOException {
    for (MessageStore s : levels) {
      s.deleteAll();
    }
    if (levels.length > 1) {
      Files.deleteIfExists(dir);
    }
  }
}
