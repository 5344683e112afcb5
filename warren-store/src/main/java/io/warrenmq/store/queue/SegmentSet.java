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
 * <p><b>Threading.</b> Confined to the store's owner, except {@link #count()} and {@link
 * #diskBytes()} (volatile, any thread) and {@link #force()} (the committer thread, through {@link
 * UnforcedSegments}).
 */
final class SegmentSet {

  private final Path dir;
  private final int capacity;
  private final @Nullable UnforcedSegments unforced;
  private final TreeMap<Long, SegmentFile> byId = new TreeMap<>();
  private @Nullable SegmentFile write;
  private @Nullable SegmentFile lastLookup;
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
    }
    return seg;
  }

  /** The segment after {@code id}, or null. */
  @Nullable SegmentFile after(long id) {
    Map.Entry<Long, SegmentFile> e = byId.higherEntry(id);
    return e == null ? null : e.getValue();
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
    if (unforced != null) {
      unforced.dropped(seg);
    }
    try {
      seg.delete();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + seg.path(), e);
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
