package io.warrenmq.store.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.store.segment.RecordLayout;
import io.warrenmq.store.segment.SegmentFile;
import io.warrenmq.store.segment.SegmentPosition;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The records of one store, as its owner works on them: a record is appended ready at the tail,
 * taken in queue order ({@link ReadyOrder}) with one more delivery counted in place, then acked
 * (gone; a segment whose records are all acked is deleted unless it is the write segment) or
 * requeued at its place; a ready record may also be removed out of order, shown in a scan, or
 * purged. Every transition is written in the record ({@link RecordLayout} state and deliveries) and
 * moves the counts by that record: the ready count and weight, the unacked count. The guards are
 * here too: a change needs the store open and no scan running ({@link IllegalStateException}
 * otherwise), and a position handed back must name a segment of this store. {@link MessageStore}
 * is the contract of each method.
 *
 * <p>Threading: confined to the store's owner, except the counts (volatile: written by the owner,
 * read anywhere) and {@link #close()} (any thread; idempotent). Buffers: {@link #append} borrows its
 * payload (it copies the readable bytes); {@link #read} returns a new buffer the caller owns;
 * {@link #readInto} writes into the caller's buffer.
 */
final class StoreRecords {
  private final Path dir;
  private final SegmentSet segments;
  private final ReadyOrder order;
  private final DeliveredBoundary boundary;
  private final Object closeLock = new Object();

  // written by the owner, read anywhere
  private volatile long readyCount;
  private volatile long readyWeight;
  private volatile long unackedCount;
  private volatile boolean closed;
  private boolean scanning;

  StoreRecords(Path dir, SegmentSet segments, DeliveredBoundary boundary, long readyCount, long readyWeight) {
    this.dir = dir;
    this.segments = segments;
    this.order = new ReadyOrder(segments);
    this.boundary = boundary;
    this.readyCount = readyCount;
    this.readyWeight = readyWeight;
  }

  long append(ByteBuf payload, boolean persistent, int weight) throws IOException {
    int len = payload.readableBytes();
    if (len == 0 || len > SegmentFile.MAX_PAYLOAD) {
      throw new IllegalArgumentException("payload of " + len + " bytes");
    }
    if (weight < 0) {
      throw new IllegalArgumentException("negative weight: " + weight);
    }
    checkChange();
    SegmentFile seg = segments.writable(len);
    int off = seg.append(payload, persistent, weight);
    segments.appended(len);
    readyCount++;
    readyWeight += weight;
    return SegmentPosition.of(seg.id(), off);
  }

  long nextReady() {
    checkChange();
    long pos = order.take();
    if (pos == SegmentPosition.NONE) {
      return pos;
    }
    SegmentFile seg = segment(pos);
    int off = SegmentPosition.offset(pos);
    seg.state(off, RecordLayout.STATE_TAKEN);
    seg.incrementDeliveries(off, boundary.countsAsDelivered(pos) ? 1 : 0);
    readyCount--;
    readyWeight -= seg.weight(off);
    unackedCount++;
    return pos;
  }

  long peekReady() {
    checkChange();
    return order.peek();
  }

  boolean remove(long pos) {
    checkChange();
    SegmentFile seg = live(pos);
    int off = SegmentPosition.offset(pos);
    if (seg == null || seg.state(off) != RecordLayout.STATE_READY) {
      return false;
    }
    seg.state(off, RecordLayout.STATE_ACKED);
    readyCount--;
    readyWeight -= seg.weight(off);
    segments.deleteIfDone(seg);
    return true;
  }

  boolean isReady(long pos) {
    SegmentFile seg = live(pos);
    return seg != null && seg.state(SegmentPosition.offset(pos)) == RecordLayout.STATE_READY;
  }

  boolean isTaken(long pos) {
    SegmentFile seg = live(pos);
    return seg != null && seg.state(SegmentPosition.offset(pos)) == RecordLayout.STATE_TAKEN;
  }

  int scanReady(int max, ReadyVisitor visitor) {
    if (max < 0) {
      throw new IllegalArgumentException("negative max: " + max);
    }
    checkChange();
    if (max == 0) {
      return 0;
    }
    scanning = true;
    try {
      return order.scan(max, visitor);
    } finally {
      scanning = false;
    }
  }

  int deliveries(long pos) {
    int d = segment(pos).deliveries(SegmentPosition.offset(pos));
    return d == 0 && boundary.countsAsDelivered(pos) ? 1 : d;
  }

  int weight(long pos) {
    return segment(pos).weight(SegmentPosition.offset(pos));
  }

  int payloadLength(long pos) {
    return segment(pos).payloadLength(SegmentPosition.offset(pos));
  }

  boolean persistent(long pos) {
    return segment(pos).persistent(SegmentPosition.offset(pos));
  }

  ByteBuf read(long pos, ByteBufAllocator alloc) {
    return segment(pos).read(SegmentPosition.offset(pos), alloc);
  }

  void readInto(long pos, ByteBuf dst) {
    segment(pos).readInto(SegmentPosition.offset(pos), dst);
  }

  void ack(long pos) {
    checkChange();
    SegmentFile seg = taken(pos);
    seg.state(SegmentPosition.offset(pos), RecordLayout.STATE_ACKED);
    unackedCount--;
    segments.deleteIfDone(seg);
  }

  void requeue(long pos) {
    checkChange();
    SegmentFile seg = taken(pos);
    int off = SegmentPosition.offset(pos);
    seg.state(off, RecordLayout.STATE_READY);
    order.requeued(pos);
    unackedCount--;
    readyCount++;
    readyWeight += seg.weight(off);
  }

  long purge() {
    checkChange();
    long purged = readyCount;
    order.purge();
    readyCount = 0;
    readyWeight = 0;
    return purged;
  }

  long readyCount() {
    return readyCount;
  }

  long readyWeight() {
    return readyWeight;
  }

  long unackedCount() {
    return unackedCount;
  }

  int requeuedCount() {
    return order.requeuedCount();
  }

  int requeuedCapacity() {
    return order.requeuedCapacity();
  }

  boolean closed() {
    return closed;
  }

  /** Unmaps every segment (the files stay) and forgets the queue order, once; any thread. */
  void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    segments.close();
    order.clear();
  }

  private SegmentFile taken(long pos) {
    SegmentFile seg = segment(pos);
    int state = seg.state(SegmentPosition.offset(pos));
    if (state != RecordLayout.STATE_TAKEN) {
      throw new IllegalStateException(
          "record " + SegmentPosition.toString(pos) + " is not taken (state " + state + ")");
    }
    return seg;
  }

  /** The segment of a position the owner hands back, or null if it was deleted. */
  private @Nullable SegmentFile live(long pos) {
    if (!SegmentPosition.isValid(pos)) {
      throw new IllegalArgumentException("not a store position: " + Long.toHexString(pos));
    }
    SegmentFile seg = segments.get(SegmentPosition.segmentId(pos));
    if (seg == null) {
      checkOpen();
    }
    return seg;
  }

  private SegmentFile segment(long pos) {
    SegmentFile seg = segments.get(SegmentPosition.segmentId(pos));
    if (seg == null) {
      checkOpen();
      throw new IllegalArgumentException("no segment for " + SegmentPosition.toString(pos));
    }
    return seg;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("message store closed: " + dir);
    }
  }

  /** The store is open and not inside {@link #scanReady} (which walks the requeued heap). */
  void checkChange() {
    checkOpen();
    if (scanning) {
      throw new IllegalStateException("message store changed during scanReady: " + dir);
    }
  }
}
