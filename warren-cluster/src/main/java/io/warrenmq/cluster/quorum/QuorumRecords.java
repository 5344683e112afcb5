package io.warrenmq.cluster.quorum;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The record format of a {@link QuorumLog} segment: {@code [int length][long index][int count][int
 * crc32c][payload]}, {@code length} counting what follows it, the CRC the payload's. Positional
 * reads and writes of one record on a segment's channel.
 */
final class QuorumRecords {
  /** Bytes before a record's payload. */
  static final int HEADER = 4 + 8 + 4 + 4;

  private QuorumRecords() {}

  /** A record's header: what follows its length field ({@code length}), its entry and message count. */
  record Header(int length, long index, int count, int crc) {
    /** Where the next record starts, for this one at {@code pos}. */
    long next(long pos) {
      return pos + 4 + length;
    }
  }

  /** How far a segment's whole records with matching CRCs go ({@code end}), and the last one's index (-1: none). */
  record Scan(long end, long lastIndex) {}

  /** The bytes a record of {@code payload} takes. */
  static int size(ByteBuffer payload) {
    return HEADER + payload.remaining();
  }

  /** Reads the records of a segment of {@code size} bytes from the start, up to the first torn or corrupt one. */
  static Scan scan(FileChannel ch, long size) throws IOException {
    long pos = 0;
    long last = -1;
    while (pos + HEADER <= size) {
      Header h = header(ch, pos);
      if (h.length() < HEADER - 4 || h.next(pos) > size) {
        break;
      }
      if (crc(payload(ch, pos, h)) != h.crc()) {
        break;
      }
      last = h.index();
      pos = h.next(pos);
    }
    return new Scan(pos, last);
  }

  /** Writes the record of entry {@code index} at {@code pos}; the bytes it took. */
  static int write(FileChannel ch, long pos, long index, int count, ByteBuffer payload) throws IOException {
    int len = HEADER - 4 + payload.remaining();
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    head.putInt(len).putLong(index).putInt(count).putInt(crc(payload)).flip();
    pos = writeFully(ch, head, pos);
    writeFully(ch, payload.duplicate(), pos);
    return 4 + len;
  }

  /** The header of the record at {@code pos}. */
  static Header header(FileChannel ch, long pos) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    readFully(ch, head, pos);
    head.flip();
    return new Header(head.getInt(), head.getLong(), head.getInt(), head.getInt());
  }

  /** The payload of the record at {@code pos} (a heap copy). */
  static ByteBuffer payload(FileChannel ch, long pos, Header h) throws IOException {
    ByteBuffer payload = ByteBuffer.allocate(h.length() - (HEADER - 4));
    readFully(ch, payload, pos + HEADER);
    return payload.flip();
  }

  private static int crc(ByteBuffer b) {
    CRC32C c = new CRC32C();
    c.update(b.duplicate());
    return (int) c.getValue();
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  private static long writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
    return pos;
  }
}
