package io.warrenmq.store.segment;

/**
 * A record's position in a queue's store, packed into a primitive {@code long} so that queues hold
 * no object per message: {@code (segmentId << 32) | offset}, the offset unsigned 32-bit and the
 * segment id below 2<sup>24</sup> ({@link #MAX_SEGMENT_ID}). Positions compare in queue order with
 * {@link #compare(long, long)} (unsigned), which also sorts {@link #NONE} last.
 *
 * <p><b>The top 8 bits are the owner's.</b> A position the store hands out always has its top 8
 * bits clear (bits 56..63), so an owner may pack something there, such as a priority level
 * (0-255) in front of the position of a priority queue, and still compare packed positions as
 * unsigned longs. The owner strips those bits ({@code pos & POSITION_MASK}) before it hands a
 * position back to the store; the store refuses a position with any of them set. The price is the
 * segment id space: a store has 2<sup>24</sup> (16M) segment ids, never reused while a segment file
 * is left in its directory; with 8 MiB segments that is 128 TiB of appends, after which {@code
 * append} fails with an {@code IOException} (the ids start again at 1 when the store is reopened
 * with an empty directory).
 *
 * <p>Static helpers only; thread-safe (stateless).
 */
public final class SegmentPosition {

  /** No position: returned when there is nothing to take. */
  public static final long NONE = -1L;

  /** The largest segment id a position can carry: 2<sup>24</sup> - 1. */
  public static final long MAX_SEGMENT_ID = (1L << 24) - 1;

  /** The bits of a position the store uses; the 8 bits above are the owner's. */
  public static final long POSITION_MASK = (1L << 56) - 1;

  private SegmentPosition() {}

  /**
   * Packs a position.
   *
   * @param segmentId the segment id, 0 to {@link #MAX_SEGMENT_ID}
   * @param offset the record's byte offset in its segment, read as unsigned 32-bit
   * @throws IllegalArgumentException if the segment id is out of range
   */
  public static long of(long segmentId, int offset) {
    if (segmentId < 0 || segmentId > MAX_SEGMENT_ID) {
      throw new IllegalArgumentException("segment id out of range: " + segmentId);
    }
    return (segmentId << 32) | Integer.toUnsignedLong(offset);
  }

  /**
   * The segment id of a position (as a non-negative long): above {@link #MAX_SEGMENT_ID} if the
   * owner's top bits are set, which {@link #isValid} catches.
   */
  public static long segmentId(long pos) {
    return pos >>> 32;
  }

  /** The record's byte offset in its segment (unsigned 32-bit; segments keep it below 2^31). */
  public static int offset(long pos) {
    return (int) pos;
  }

  /** Whether {@code pos} could come from the store: not {@link #NONE}, the top 8 bits clear. */
  public static boolean isValid(long pos) {
    return (pos & ~POSITION_MASK) == 0;
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
