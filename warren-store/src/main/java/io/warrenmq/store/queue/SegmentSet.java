package io.warrenmq.store.queue;

import io.warrenmq.store.recovery.StoreRecovery;
import io.warrenmq.store.segment.RecordLayout;
import io.warrenmq.store.segment.SegmentFile;
import io.warrenmq.store.segment.SegmentPosition;
import io.warrenmq.store.sync.DirectorySync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The segment files of one store by id, with the write segment: lookup (remembering the last hit,
 * which saves a map lookup per record on the hot path), rolling to a new segment, deleting a
 * segment whose records are all acked, and the counts that go with them. A few objects per segment,
 * nothing per record.
 *
 * <p><b>Residency.</b> The mapped pages a queue touches count in the broker's RSS until they are
 * given back, so a deep backlog would grow it without limit. The set keeps them bounded: the
 * write segment, and the {@link #WARM} segments most recently read or acked in (a small
 * most-recent-first array, moved only when a lookup lands in another segment than the last one);
 * a segment that falls out of that set, and the write segment when appends roll past it unless
 * it is being read, is {@link SegmentFile#unload() unloaded}: one system call per segment
 * visit, none per record.
 *
 * <p><b>Threading.</b> Confined to the store's owner, except {@link #count()} and {@link
 * #diskBytes()} (volatile, any thread) and {@link #force()} (the committer thread, through {@link
 * UnforcedSegments}).
 */
final class SegmentSet {
  /** How many segments besides the write segment stay resident: reads and acks span a few. */
  static final int WARM = 3;

  private final Path dir;
  private final int capacity;
  private final @Nullable UnforcedSegments unforced;
  private final TreeMap<Long, SegmentFile> byId = new TreeMap<>();
  private @Nullable SegmentFile write;
  private @Nullable SegmentFile lastLookup;
  /** Most recently visited first; no nulls before the first null. */
  private final @Nullable SegmentFile[] warm = new SegmentFile[WARM];
  private long nextId;

  // written by the owner, read anywhere
  private volatile int count;
  private volatile long diskBytes;

  /** Takes the recovered segments; appends continue in the last one if it is the newest file. */
  SegmentSet(Path dir, StoreOptions options, StoreRecovery.Result recovered) {
    this.dir = dir;
    this.capacity = options.segmentCapacity();
    long bytes = 0;
    for (SegmentFile s : recovered.segments()) {
      byId.put(s.id(), s);
      bytes += s.end();
    }
    Map.Entry<Long, SegmentFile> last = byId.lastEntry();
    this.write =
        last != null && last.getKey() == recovered.lastSegmentId() ? last.getValue() : null;
    this.nextId = recovered.lastSegmentId() + 1;
    this.count = byId.size();
    this.diskBytes = bytes;
    this.unforced = options.durable() ? new UnforcedSegments(dir, write) : null;
  }

  /** The segment with this id, or null. */
  @Nullable SegmentFile get(long id) {
    SegmentFile seg = lastLookup;
    if (seg != null && seg.id() == id) {
      return seg;
    }
    seg = byId.get(id);
    if (seg != null) {
      lastLookup = seg;
      visit(seg);
    }
    return seg;
  }

  /** The segment after {@code id}, or null. */
  @Nullable SegmentFile after(long id) {
    Map.Entry<Long, SegmentFile> e = byId.higherEntry(id);
    if (e == null) {
      return null;
    }
    visit(e.getValue());
    return e.getValue();
  }

  /** The id of the first segment, or the id the next new segment will get. */
  long firstId() {
    return byId.isEmpty() ? nextId : byId.firstKey();
  }

  boolean isWrite(SegmentFile seg) {
    return seg == write;
  }

  /** The segment to append a payload of this length to: the write segment, or a new one. */
  SegmentFile writable(int payloadLength) throws IOException {
    SegmentFile seg = write;
    if (seg != null && seg.fits(payloadLength)) {
      return seg;
    }
    long id = nextId;
    if (id > SegmentPosition.MAX_SEGMENT_ID) {
      throw new IOException("segment ids exhausted in " + dir);
    }
    SegmentFile next = SegmentFile.create(dir, id, SegmentFile.capacityFor(capacity, payloadLength));
    nextId = id + 1;
    byId.put(id, next);
    count++;
    diskBytes += next.end();
    write = next;
    if (unforced != null) {
      unforced.rolledTo(next);
    }
    if (seg != null) {
      deleteIfDone(seg);
      if (byId.containsKey(seg.id()) && !isWarm(seg)) {
        if (seg == lastLookup) {
          visit(seg); // being read or acked: warm like any other visited segment
        } else {
          seg.unload(); // written and left: nobody reads it soon in a backlog
        }
      }
    }
    return next;
  }

  /** A record of this payload length was appended. */
  void appended(int payloadLength) {
    diskBytes += RecordLayout.HEADER_SIZE + payloadLength;
  }

  /** Deletes {@code seg} if its records are all acked and the writer has left it. */
  void deleteIfDone(SegmentFile seg) {
    if (seg.fullyAcked() && seg != write) {
      delete(seg);
    }
  }

  /**
   * Unmaps (once no force holds it) and deletes a segment.
   *
   * @throws UncheckedIOException if the file cannot be deleted
   */
  void delete(SegmentFile seg) {
    byId.remove(seg.id());
    count--;
    diskBytes -= seg.end();
    if (seg == write) {
      write = null;
    }
    if (seg == lastLookup) {
      lastLookup = null;
    }
    forget(seg);
    if (unforced != null) {
      unforced.dropped(seg);
    }
    try {
      seg.delete();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + seg.path(), e);
    }
  }

  /**
   * {@code seg} was read or acked in: it moves to the front of the warm set; the segment that falls
   * out of it is unloaded. The write segment is resident anyway and stays out of the set.
   */
  private void visit(SegmentFile seg) {
    if (seg == write || warm[0] == seg) {
      return;
    }
    int i = 0;
    while (i < WARM - 1 && warm[i] != null && warm[i] != seg) {
      i++;
    }
    SegmentFile out = warm[i] == seg ? null : warm[i];
    System.arraycopy(warm, 0, warm, 1, i);
    warm[0] = seg;
    if (out != null && out != write) {
      out.unload();
    }
  }

  private boolean isWarm(SegmentFile seg) {
    for (SegmentFile w : warm) {
      if (w == seg) {
        return true;
      }
    }
    return false;
  }

  private void forget(SegmentFile seg) {
    for (int i = 0; i < WARM; i++) {
      if (warm[i] == seg) {
        System.arraycopy(warm, i + 1, warm, i, WARM - 1 - i);
        warm[WARM - 1] = null;
        return;
      }
    }
  }

  /** See {@link MessageStore#force()}. Any thread. */
  void force() throws IOException {
    if (unforced != null) {
      unforced.force();
    }
  }

  /**
   * Makes every live segment durable whole (appends, and the states and delivery counts written in
   * place), then the directory (segment files created and deleted). Owner thread, for a graceful
   * close: the owner changes nothing meanwhile; a concurrent {@link #force()} is harmless.
   */
  void forceAll() throws IOException {
    for (SegmentFile s : byId.values()) {
      s.forceAll();
    }
    DirectorySync.force(dir);
  }

  /**
   * The position just after the last record of the last segment, or 0 if there is no segment:
   * every record the store holds is below it, every record appended later above it (appends go
   * after it in the same segment, or to a segment with a higher id). Owner thread.
   */
  long endPosition() {
    Map.Entry<Long, SegmentFile> last = byId.lastEntry();
    return last == null ? 0 : SegmentPosition.of(last.getKey(), last.getValue().end());
  }

  /** Unmaps every segment (once no force holds it); keeps the files. */
  void close() {
    if (unforced != null) {
      unforced.close();
    }
    for (SegmentFile s : byId.values()) {
      s.close();
    }
    byId.clear();
    java.util.Arrays.fill(warm, null);
    write = null;
    lastLookup = null;
    count = 0;
  }

  int count() {
    return count;
  }

  long diskBytes() {
    return diskBytes;
  }
}
