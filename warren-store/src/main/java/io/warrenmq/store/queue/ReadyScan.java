package io.warrenmq.store.queue;

import io.netty.buffer.ByteBuf;
import io.warrenmq.store.segment.RecordLayout;
import io.warrenmq.store.segment.SegmentFile;
import io.warrenmq.store.segment.SegmentHeader;
import io.warrenmq.store.segment.SegmentPosition;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * One pass of {@link MessageStore#scanReady}: hands the ready records to a {@link ReadyVisitor} in
 * queue order (the requeued positions in order, then every record from the read cursor on) and
 * changes nothing: no state, no counter, no cursor. The payload view is one read-only buffer per
 * segment visited, re-pointed at each record; nothing is allocated per record.
 *
 * <p>Not thread-safe: used once, by the store's owner.
 */
final class ReadyScan implements LongPredicate {

  private final SegmentSet segments;
  private final int max;
  private final ReadyVisitor visitor;
  private int visited;
  private boolean stopped;
  private @Nullable SegmentFile viewSegment;
  private @Nullable ByteBuf view;

  ReadyScan(SegmentSet segments, int max, ReadyVisitor visitor) {
    this.segments = segments;
    this.max = max;
    this.visitor = visitor;
  }

  /** Runs the scan from the requeued positions and the read cursor; returns the records visited. */
  int run(RequeuedPositions requeued, long cursorSegmentId, int cursorOffset) {
    requeued.forEachInOrder(this);
    SegmentFile seg = segments.get(cursorSegmentId);
    int off = cursorOffset;
    if (seg == null) {
      seg = segments.after(cursorSegmentId);
      off = SegmentHeader.SIZE;
    }
    while (seg != null && !stopped) {
      for (int end = seg.end(); off < end && !stopped; off = seg.nextOffset(off)) {
        visit(seg, off);
      }
      seg = segments.after(seg.id());
      off = SegmentHeader.SIZE;
    }
    return visited;
  }

  /** A requeued position: visited if still ready (it may have been removed since). */
  @Override
  public boolean test(long pos) {
    SegmentFile seg = segments.get(SegmentPosition.segmentId(pos));
    if (seg != null) {
      visit(seg, SegmentPosition.offset(pos));
    }
    return !stopped;
  }

  private void visit(SegmentFile seg, int off) {
    if (stopped || seg.state(off) != RecordLayout.STATE_READY) {
      return;
    }
    ByteBuf v = view;
    if (seg != viewSegment || v == null) {
      v = seg.readOnlyView();
      view = v;
      viewSegment = seg;
    }
    int from = SegmentFile.payloadOffset(off);
    v.setIndex(from, from + seg.payloadLength(off));
    visited++;
    if (!visitor.visit(SegmentPosition.of(seg.id(), off), v) || visited >= max) {
      stopped = true;
    }
  }
}
