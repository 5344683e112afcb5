package io.warrenmq.store.segment;

/**
 * A record's position in a queue's store, packed into a primitive {@code long} so that queues hold
 * no object per message: {@code (segmentId << 32) | offset}, both unsigned 32-bit. Positions compare
 * in queue order with {@link #compare(long, long)} (unsigned), which also sorts {@link #NONE} last.
 *
 * <p>Static helpers only; thread-safe (stateless).
 */
public final class SegmentPosition {

  /** No position: returned when there is nothing to take. */
  public static final long NONE = -1L;

  /** The largest segment id a position can carry. */
  public static final long MAX_SEGMENT_ID = 0xFFFF_FFFFL;

  private SegmentPosition() {}

  /**
   * Packs a position.
   *
   * @param segmentId unsigned 32-bit segment id
   * @param offset the record's byte offset in its segment, read as unsigned 32-bit
   * @throws IllegalArgumentException if the segment id does not fit in 32 bits
   */
  public static long of(long segmentId, int offset) {
    if (segmentId < 0 || segmentId > MAX_SEGMENT_ID) {
      throw new IllegalArgumentException("segment id out of range: " + segmentId);
    }
    return (segmentId << 32) | Integer.toUnsignedLong(offset);
  }

  /** The segment id of a position (unsigned 32-bit, as a non-negative long). */
  public static long segmentId(long pos) {
    return pos >>> 32;
  }

  /** The record's byte offset in its segment (unsigned 32-bit; segments keep it below 2^31). */
  public static int offset(long pos) {
    return (int) pos;
  }

  /** Compares two positions in queue order. */
  public static int compare(long a, long b) {
    return Long.compareUnsigned(a, b);
  }

  /** {@code "segmentId:offset"}, or {@code "NONE"}. */
  public static String toString(long pos) {
    if (pos == NONE) {
      return "NONE";
    }
    return segmentId(pos) + ":" + Integer.toUnsignedString(offset(pos));
  }
}
