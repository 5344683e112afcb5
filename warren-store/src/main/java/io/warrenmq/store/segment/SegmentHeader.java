package io.warrenmq.store.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The 16-byte header that starts every segment file: 8 bytes of magic {@code WARRSEG1}, a big-endian
 * u32 format version ({@value #FORMAT_VERSION}) and a u32 reserved (zero). A reader refuses a file
 * whose magic or version it does not know (STYLE 8.12: the on-disk format is versioned).
 *
 * <p>Static helpers only; thread-safe (stateless).
 */
public final class SegmentHeader {

  /** Header size in bytes; the first record starts here. */
  public static final int SIZE = 16;

  /** The format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private static final byte[] MAGIC = "WARRSEG1".getBytes(StandardCharsets.US_ASCII);

  private SegmentHeader() {}

  /** A fresh header, ready to be written at offset 0. */
  public static ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.put(MAGIC).putInt(FORMAT_VERSION).putInt(0).flip();
    return b;
  }

  /**
   * Reads and checks the header of an open segment file.
   *
   * @return {@code true} if the header is valid; {@code false} if the file is blank (shorter than a
   *     header or all zeros there: a segment whose creation was torn by a crash)
   * @throws IOException naming the file if the magic or the version is unknown, or on a read error
   */
  public static boolean check(FileChannel ch, Path file) throws IOException {
    if (ch.size() < SIZE) {
      return false;
    }
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    while (b.hasRemaining()) {
      if (ch.read(b, b.position()) < 0) {
        throw new IOException("unexpected end of file reading the segment header of " + file);
      }
    }
    byte[] bytes = b.array();
    if (Arrays.equals(bytes, new byte[SIZE])) {
      return false;
    }
    if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException("not a WarrenMQ segment file (bad magic): " + file);
    }
    int version = b.getInt(MAGIC.length);
    if (version != FORMAT_VERSION) {
      throw new IOException(
          "unsupported segment format version " + version + " (this build reads " + FORMAT_VERSION
              + "): " + file);
    }
    return true;
  }
}
