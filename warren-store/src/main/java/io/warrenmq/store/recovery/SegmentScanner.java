package io.warrenmq.store.recovery;

import io.warrenmq.store.segment.RecordLayout;
import io.warrenmq.store.segment.SegmentHeader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Checks one segment file on boot. Records are read in order; each must have a sane length (it
 * fits in the file) and a matching CRC32C. The first one that does not is a torn tail: the scan
 * stops there, and every non-zero byte after the end of data is discarded (truncate, re-extend,
 * fsync), so that a later recovery cannot take stale bytes for records once new records are
 * appended after the cut. Acked records are counted; records not marked persistent are marked
 * acked (transient messages do not survive a restart); taken records become ready again.
 *
 * <p>Static helpers only; runs on the thread that opens the store, which may block.
 */
public final class SegmentScanner {

  private static final int ZERO_CHUNK = 64 * 1024;

  private SegmentScanner() {}

  /**
   * The outcome of a scan.
   *
   * @param blank the file has no valid header: a segment torn at creation, to delete
   * @param end the offset after the last valid record
   * @param records valid records
   * @param acked acked records among them (including the transient ones just dropped)
   * @param readyWeight the sum of the weights of the live records
   * @param transientDropped records dropped for not being persistent
   * @param bytesTruncated non-zero bytes discarded after the end of data (0 if none)
   */
  public record Result(
      boolean blank,
      int end,
      int records,
      int acked,
      long readyWeight,
      int transientDropped,
      long bytesTruncated) {

    /** Whether no live record is left. */
    public boolean dead() {
      return blank || acked == records;
    }
  }

  /**
   * Scans, repairs and counts the records of a segment file.
   *
   * @throws IOException naming the file if its magic or version is unknown, or on an I/O error
   */
  public static Result scan(Path file) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (!SegmentHeader.check(ch, file)) {
        return new Result(true, 0, 0, 0, 0, 0, 0);
      }
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new IOException("segment file larger than 2 GiB: " + file);
      }
      Result r;
      try (Arena arena = Arena.ofConfined()) {
        r = scanRecords(ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena), size);
      }
      if (r.bytesTruncated() > 0) {
        discardTail(ch, r.end(), size);
      }
      return r;
    }
  }

  private static Result scanRecords(MemorySegment m, long size) {
    CRC32C crc = new CRC32C();
    long off = SegmentHeader.SIZE;
    int records = 0;
    int acked = 0;
    int dropped = 0;
    long weight = 0;
    for (int len; (len = RecordLayout.check(m, off, size, crc)) > 0; ) {
      records++;
      int state = RecordLayout.state(m, off);
      if (state == RecordLayout.STATE_ACKED) {
        acked++;
      } else if ((RecordLayout.flags(m, off) & RecordLayout.FLAG_PERSISTENT) == 0) {
        RecordLayout.state(m, off, RecordLayout.STATE_ACKED);
        acked++;
        dropped++;
      } else {
        if (state != RecordLayout.STATE_READY) {
          RecordLayout.state(m, off, RecordLayout.STATE_READY);
        }
        weight += Integer.toUnsignedLong(RecordLayout.weight(m, off));
      }
      off += RecordLayout.HEADER_SIZE + len;
    }
    long dirtyEnd = lastNonZero(m, off, size);
    return new Result(false, (int) off, records, acked, weight, dropped, dirtyEnd - off);
  }

  /** The offset after the last non-zero byte in [from, size), or {@code from} if all are zero. */
  private static long lastNonZero(MemorySegment m, long from, long size) {
    MemorySegment zeros = MemorySegment.ofArray(new byte[ZERO_CHUNK]);
    long hi = size;
    while (hi > from) {
      long lo = Math.max(from, hi - ZERO_CHUNK);
      MemorySegment chunk = m.asSlice(lo, hi - lo);
      if (chunk.mismatch(zeros.asSlice(0, hi - lo)) >= 0) {
        for (long i = hi - 1; ; i--) {
          if (chunk.get(ValueLayout.JAVA_BYTE, i - lo) != 0) {
            return i + 1;
          }
        }
      }
      hi = lo;
    }
    return from;
  }

  private static void discardTail(FileChannel ch, int end, long size) throws IOException {
    ch.truncate(end);
    if (size > end) {
      ByteBuffer zero = ByteBuffer.allocate(1);
      while (zero.hasRemaining()) {
        ch.write(zero, size - 1);
      }
    }
    ch.force(true);
  }
}
