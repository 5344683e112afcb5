package io.warrenmq.store.queue;

import io.warrenmq.store.segment.RecordLayout;
import io.warrenmq.store.segment.SegmentFile;
import io.warrenmq.store.segment.SegmentHeader;
import io.warrenmq.store.segment.SegmentPosition;

/**
 * The order in which a store's ready records come out: the requeued positions (lowest first), then
 * the read cursor, which walks the segments forward past dead records. Records behind the cursor
 * are ready only if requeued; records from the cursor on are never taken. Positions only: record
 * states and the counts stay with {@link StoreRecords}.
 *
 * <p>Not thread-safe: confined to the store's owner.
 */
final class ReadyOrder {

  private final SegmentSet segments;
  private final RequeuedPositions requeued = new RequeuedPositions();
  private long readSegmentId;
  private int readOffset;

  ReadyOrder(SegmentSet segments) {
    this.segments = segments;
    this.readSegmentId = segments.firstId();
    this.readOffset = SegmentHeader.SIZE;
  }

  /** The next ready position, or {@link SegmentPosition#NONE}. */
  long peek() {
    long pos = liveRequeued();
    return pos != SegmentPosition.NONE ? pos : cursor();
  }

  /** The next ready position, moved past (the caller marks it taken), or NONE. */
  long take() {
    long pos = liveRequeued();
    if (pos != SegmentPosition.NONE) {
      requeued.poll();
      return pos;
    }
    pos = cursor();
    if (pos != SegmentPosition.NONE) {
      readOffset = segments.get(readSegmentId).nextOffset(readOffset);
    }
    return pos;
  }

  /** A taken record became ready again: it comes out again at its place in queue order. */
  void requeued(long pos) {
    requeued.add(pos);
  }

  /** See {@link MessageStore#scanReady}. */
  int scan(int max, ReadyVisitor visitor) {
    return new ReadyScan(segments, max, visitor).run(requeued, readSegmentId, readOffset);
  }

  /**
   * Acks every ready record (see {@link MessageStore#purge}): the requeued ones and the rest of the
   * cursor's segment one by one, the segments after it whole (they hold no taken record).
   */
  void purge() {
    for (long pos; (pos = requeued.poll()) != SegmentPosition.NONE; ) {
      SegmentFile seg = segments.get(SegmentPosition.segmentId(pos));
      if (seg != null) { // else removed, and its segment deleted since
        seg.state(SegmentPosition.offset(pos), RecordLayout.STATE_ACKED);
        segments.deleteIfDone(seg);
      }
    }
    requeued.clear();
    SegmentFile cursorSeg = segments.get(readSegmentId);
    if (cursorSeg != null) {
      int end = cursorSeg.end();
      for (int off = readOffset; off < end; off = cursorSeg.nextOffset(off)) {
        cursorSeg.state(off, RecordLayout.STATE_ACKED);
      }
      readOffset = end;
      segments.deleteIfDone(cursorSeg);
    }
    for (SegmentFile s; (s = segments.after(readSegmentId)) != null; ) {
      segments.delete(s);
    }
  }

  int requeuedCount() {
    return requeued.size();
  }

  int requeuedCapacity() {
    return requeued.capacity();
  }

  void clear() {
    requeued.clear();
  }

  /**
   * The lowest requeued position that is still ready, dropping the removed ones from the top of
   * the heap; {@link SegmentPosition#NONE} if none.
   */
  private long liveRequeued() {
    for (long pos; (pos = requeued.peek()) != SegmentPosition.NONE; requeued.poll()) {
      SegmentFile seg = segments.get(SegmentPosition.segmentId(pos));
      if (seg != null && seg.state(SegmentPosition.offset(pos)) == RecordLayout.STATE_READY) {
        return pos;
      }
    }
    return SegmentPosition.NONE;
  }

  /** The position of the first live record at the read cursor, moving past dead ones. */
  private long cursor() {
    for (; ; ) {
      SegmentFile seg = segments.get(readSegmentId);
      if (seg != null && readOffset < seg.end()) {
        if (seg.state(readOffset) != RecordLayout.STATE_ACKED) {
          return SegmentPosition.of(readSegmentId, readOffset);
        }
        readOffset = seg.nextOffset(readOffset);
        continue;
      }
      if (seg != null && segments.isWrite(seg)) {
        return SegmentPosition.NONE;
      }
      SegmentFile next = segments.after(readSegmentId);
      if (next == null) {
        return SegmentPosition.NONE;
      }
      readSegmentId = next.id();
      readOffset = SegmentHeader.SIZE;
    }
  }
}
