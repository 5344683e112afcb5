package io.warrenmq.store.recovery;

import io.warrenmq.store.segment.SegmentPosition;
import io.warrenmq.store.sync.BlockingGuard;
import io.warrenmq.store.sync.DirectorySync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The clean-shutdown marker of one store directory ({@code clean-shutdown}): written, fsynced and
 * made durable with its directory entry by a graceful close once everything of the store was
 * forced (appends, and the acks, states and delivery counts written in place); read and removed,
 * durably, by the next open before the store changes anything. Without it the store stopped
 * uncleanly (kill -9, power cut, a crash during an earlier recovery or stop), and the delivery
 * counts written in place without a force cannot be trusted.
 *
 * <p>The marker carries the store's <i>delivered boundary</i>: every record below that position
 * counts as delivered at least once. An unclean stop sets it to the end of the recovered data; a
 * clean stop carries it over, so a message flagged by an unclean stop stays flagged across later
 * clean restarts. This is RabbitMQ's rule for classic queues (rabbit_variable_queue: the queue's
 * {@code next_deliver_seq_id}, everything below it delivered at least once, is kept in the
 * recovery terms written at a graceful stop; on {@code non_clean_shutdown} it becomes the highest
 * seq id, "effectively marking all messages as delivered").
 *
 * <p>Format, big-endian, 20 bytes: {@code u32 magic "WCLN"}, {@code u32 version (1)}, {@code u64
 * deliveredBelow} (a store position, 0 for none), {@code u32 crc32c} of the 16 bytes before it. A
 * marker that does not check out counts as absent: the conservative reading.
 *
 * <p>Static helpers only; blocks (refuses Netty event loops).
 */
public final class CleanShutdown {

  /** The marker's file name in a store directory. */
  public static final String FILE_NAME = "clean-shutdown";

  /** What {@link #take} returns without a valid marker: the last stop was unclean. */
  public static final long ABSENT = SegmentPosition.NONE;

  static final int MAGIC = 0x57434C4E; // "WCLN"
  static final int VERSION = 1;
  static final int SIZE = 20;

  private static final String TMP_NAME = FILE_NAME + ".tmp";

  private CleanShutdown() {}

  /**
   * Reads and removes the marker of {@code dir}: both file names are gone, durably (the directory
   * is fsynced), before this returns, so that a crash from now on leaves no marker behind.
   *
   * @return the delivered boundary the marker carries, or {@link #ABSENT} if there is none or it
   *     does not check out
   */
  public static long take(Path dir) throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    Path file = dir.resolve(FILE_NAME);
    long boundary = ABSENT;
    boolean found = false;
    if (Files.exists(file)) {
      found = true;
      boundary = parse(Files.readAllBytes(file));
      Files.delete(file);
    }
    found |= Files.deleteIfExists(dir.resolve(TMP_NAME));
    if (found) {
      DirectorySync.force(dir);
    }
    return boundary;
  }

  /**
   * Writes the marker: a temporary file, fsynced, renamed over the marker's name, and the directory
   * fsynced. The caller has forced everything the marker vouches for.
   *
   * @param deliveredBelow a store position (0 for none): records below it count as delivered once
   */
  public static void write(Path dir, long deliveredBelow) throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    if (!SegmentPosition.isValid(deliveredBelow)) {
      throw new IllegalArgumentException("not a store position: " + Long.toHexString(deliveredBelow));
    }
    Path tmp = dir.resolve(TMP_NAME);
    ByteBuffer b = encode(deliveredBelow);
    try (FileChannel ch =
        FileChannel.open(
            tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    DirectorySync.force(dir);
  }

  static ByteBuffer encode(long deliveredBelow) {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.putInt(MAGIC).putInt(VERSION).putLong(deliveredBelow);
    b.putInt(crc(b.array()));
    return b.flip();
  }

  /** The boundary in a marker's bytes, or {@link #ABSENT} if they are not a valid marker. */
  static long parse(byte[] bytes) {
    if (bytes.length != SIZE) {
      return ABSENT;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.getInt(0) != MAGIC || b.getInt(4) != VERSION || b.getInt(16) != crc(bytes)) {
      return ABSENT;
    }
    long boundary = b.getLong(8);
    return SegmentPosition.isValid(boundary) ? boundary : ABSENT;
  }

  private static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 16);
    return (int) crc.getValue();
  }
}
