package io.warrenmq.store.queue;

import io.warrenmq.store.segment.SegmentFile;
import io.warrenmq.store.sync.DirectorySync;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the next {@code force()} of a durable store must cover: the current write segment, the
 * segments the writer rolled away from since the last force, and the directory when segment files
 * were created in it.
 *
 * <p><b>Threading.</b> The store's owner reports rolls and deletions; {@link #force()} runs on the
 * committer thread. Both meet only under a private lock held for bookkeeping, never across I/O: a
 * force retains the segments it msyncs, so a deletion meanwhile unmaps them when the force is done.
 */
final class UnforcedSegments {

  private final Path dir;
  private final Object lock = new Object();

  // guarded by lock
  private @Nullable SegmentFile write;
  private final List<SegmentFile> rolled = new ArrayList<>();
  private boolean dirDirty;
  private boolean closed;

  UnforcedSegments(Path dir, @Nullable SegmentFile write) {
    this.dir = dir;
    this.write = write;
  }

  /** The owner created {@code next} and now writes there. */
  void rolledTo(SegmentFile next) {
    synchronized (lock) {
      if (write != null) {
        rolled.add(write);
      }
      write = next;
      dirDirty = true;
    }
  }

  /** The owner deleted {@code seg}: its records are all acked, nothing to persist. */
  void dropped(SegmentFile seg) {
    synchronized (lock) {
      rolled.remove(seg);
      if (write == seg) {
        write = null;
      }
    }
  }

  /** The store closed: later forces do nothing. */
  void close() {
    synchronized (lock) {
      closed = true;
      write = null;
      rolled.clear();
    }
  }

  /** msyncs every segment written since the last force, then the directory if it changed. */
  void force() throws IOException {
    List<SegmentFile> batch;
    boolean syncDir;
    synchronized (lock) {
      if (closed) {
        return;
      }
      batch = new ArrayList<>(rolled.size() + 1);
      for (SegmentFile s : rolled) {
        if (s.tryRetain()) {
          batch.add(s);
        }
      }
      rolled.clear();
      if (write != null && write.tryRetain()) {
        batch.add(write);
      }
      syncDir = dirDirty;
      dirDirty = false;
    }
    int done = 0;
    try {
      for (SegmentFile s : batch) {
        s.force();
        done++;
      }
      if (syncDir) {
        DirectorySync.force(dir);
      }
    } catch (IOException | RuntimeException e) {
      retryLater(batch.subList(done, batch.size()), syncDir);
      throw e;
    } finally {
      for (SegmentFile s : batch) {
        s.release();
      }
    }
  }

  private void retryLater(List<SegmentFile> unforced, boolean syncDir) {
    synchronized (lock) {
      dirDirty |= syncDir;
      for (SegmentFile s : unforced) {
        if (s != write && !closed) {
          rolled.add(s);
        }
      }
    }
  }
}
