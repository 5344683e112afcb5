package io.warrenmq.store.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The layout of one record in a segment, all big-endian:
 *
 * <pre>
 *  0  u32 payloadLength   (>= 1; 0 where a header would start means end of data)
 *  4  u32 crc32c          over flags, weight and payload
 *  8  u8  flags           bit 0 = persistent
 *  9  u8  state           0 = ready, 1 = acked, 2 = taken (not in the CRC: mutated in place)
 * 10  u16 deliveries      times handed out, saturating (not in the CRC)
 * 12  u32 weight          an opaque caller number, e.g. the body size
 * 16  payload
 * </pre>
 *
 * <p>Static accessors on a {@link MemorySegment} at a byte offset; thread-safe (stateless), the
 * caller owns the memory and its confinement.
 */
public final class RecordLayout {

  /** Bytes before the payload. */
  public static final int HEADER_SIZE = 16;

  /** Flag bit: the message is persistent and survives a restart of a durable store. */
  public static final int FLAG_PERSISTENT = 1;

  /** State: waiting in the queue. */
  public static final int STATE_READY = 0;

  /** State: gone for good. */
  public static final int STATE_ACKED = 1;

  /** State: handed out and not yet acked (live; a restart makes it ready again). */
  public static final int STATE_TAKEN = 2;

  /** Deliveries saturate here. */
  public static final int MAX_DELIVERIES = 0xFFFF;

  private static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfShort SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private static final int LENGTH = 0;
  private static final int CRC = 4;
  private static final int FLAGS = 8;
  private static final int STATE = 9;
  private static final int DELIVERIES = 10;
  private static final int WEIGHT = 12;

  private RecordLayout() {}

  public static int payloadLength(MemorySegment m, long off) {
    return m.get(INT, off + LENGTH);
  }

  public static int flags(MemorySegment m, long off) {
    return m.get(ValueLayout.JAVA_BYTE, off + FLAGS) & 0xFF;
  }

  public static int state(MemorySegment m, long off) {
    return m.get(ValueLayout.JAVA_BYTE, off + STATE) & 0xFF;
  }

  public static void state(MemorySegment m, long off, int state) {
    m.set(ValueLayout.JAVA_BYTE, off + STATE, (byte) state);
  }

  public static int deliveries(MemorySegment m, long off) {
    return m.get(SHORT, off + DELIVERIES) & 0xFFFF;
  }

  public static void deliveries(MemorySegment m, long off, int deliveries) {
    m.set(SHORT, off + DELIVERIES, (short) deliveries);
  }

  public static int weight(MemorySegment m, long off) {
    return m.get(INT, off + WEIGHT);
  }

  /**
   * Writes a record's header for a payload already in place at {@code off + HEADER_SIZE}: state
   * ready, zero deliveries, and the CRC32C computed over the bytes in the segment.
   */
  public static void writeHeader(
      MemorySegment m, long off, int payloadLength, int flags, int weight, CRC32C crc) {
    m.set(ValueLayout.JAVA_BYTE, off + FLAGS, (byte) flags);
    m.set(ValueLayout.JAVA_BYTE, off + STATE, (byte) STATE_READY);
    m.set(SHORT, off + DELIVERIES, (short) 0);
    m.set(INT, off + WEIGHT, weight);
    m.set(INT, off + CRC, computeCrc(m, off, payloadLength, crc));
    m.set(INT, off + LENGTH, payloadLength);
  }

  /**
   * Checks the record at {@code off} in a segment whose data may extend to {@code limit}.
   *
   * @return the payload length if a whole record with a matching CRC32C starts there; {@code 0} at
   *     the end of data (no room for a header, or a zero length); {@code -1} if the bytes there are
   *     not a valid record (insane length or CRC mismatch: a torn or corrupt record)
   */
  public static int check(MemorySegment m, long off, long limit, CRC32C crc) {
    if (off + HEADER_SIZE > limit) {
      return 0;
    }
    int len = payloadLength(m, off);
    if (len == 0) {
      return 0;
    }
    if (len < 0 || off + HEADER_SIZE + len > limit) {
      return -1;
    }
    return m.get(INT, off + CRC) == computeCrc(m, off, len, crc) ? len : -1;
  }

  private static int computeCrc(MemorySegment m, long off, int len, CRC32C crc) {
    crc.reset();
    crc.update(m.get(ValueLayout.JAVA_BYTE, off + FLAGS));
    crc.update(m.asSlice(off + WEIGHT, 4).asByteBuffer());
    crc.update(m.asSlice(off + HEADER_SIZE, len).asByteBuffer());
    return (int) crc.getValue();
  }
}
