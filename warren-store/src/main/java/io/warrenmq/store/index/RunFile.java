package io.warrenmq.store.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * One sorted run of a {@link DeadlineIndex}: a file of 16-byte entries ({@code long deadline, long
 * value}, big-endian, no header, no CRC: the index is not durable) in the index's order, read from
 * the front through a 4 KiB buffer whose first entry is the run's head. A run being built (a spill
 * or a merge output) is appended through a write buffer (64 KiB for a spill, 4 KiB for a merge)
 * and readable up to what was {@link #publish() published}; every read and write is a positional
 * one on the run's channel.
 *
 * <p>Not thread-safe: confined to the index's owner.
 */
final class RunFile {

  static final int ENTRY_BYTES = 16;
  static final int BUFFER_BYTES = 4096;
  static final int BUFFER_ENTRIES = BUFFER_BYTES / ENTRY_BYTES;

  /** The write buffer of a spill, which writes a whole heap at once: fewer system calls. */
  static final int SPILL_BUFFER_BYTES = 64 * 1024;

  private final Path path;
  private final long rank;
  private final int level;
  private final FileChannel channel;
  private final int writeBufferBytes;
  private final ByteBuffer read = ByteBuffer.allocate(BUFFER_BYTES).limit(0);
  private @Nullable ByteBuffer write;
  private long published;
  private long consumed;
  private boolean deleted;

  /** An input of a running merge. */
  boolean merging;

  /** The output of a running merge (or a spill being written): more entries may come. */
  boolean building = true;

  private RunFile(Path path, long rank, int level, FileChannel channel, int writeBufferBytes) {
    this.path = path;
    this.rank = rank;
    this.level = level;
    this.channel = channel;
    this.writeBufferBytes = writeBufferBytes;
  }

  /**
   * Creates an empty run file to build.
   *
   * @param rank orders runs by the age of their entries, oldest lowest: ties of deadlines between
   *     runs go to the lower rank
   * @param writeBufferBytes the write buffer (a multiple of 16), allocated at the first append and
   *     dropped by {@link #finishBuilding()}
   */
  static RunFile create(Path path, long rank, int level, int writeBufferBytes)
      throws IOException {
    FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    return new RunFile(path, rank, level, ch, writeBufferBytes);
  }

  Path path() {
    return path;
  }

  long rank() {
    return rank;
  }

  int level() {
    return level;
  }

  /** Whether the run has an entry to read: its head is buffered (no I/O to look at it). */
  boolean hasHead() {
    return read.hasRemaining();
  }

  long headDeadline() {
    return read.getLong(read.position());
  }

  long headValue() {
    return read.getLong(read.position() + 8);
  }

  /** Moves past the head; reads the next 4 KiB of the file when the buffer runs out. */
  void advance() throws IOException {
    read.position(read.position() + ENTRY_BYTES);
    consumed++;
    if (!read.hasRemaining()) {
      refill();
    }
  }

  /** Published entries not yet read past. */
  long remaining() {
    return published - consumed;
  }

  /** Appends an entry; it becomes readable once {@link #publish() published}. */
  void append(long deadline, long value) throws IOException {
    ByteBuffer w = write;
    if (w == null) {
      w = ByteBuffer.allocate(writeBufferBytes);
      write = w;
    } else if (!w.hasRemaining()) {
      flush(w);
    }
    w.putLong(deadline).putLong(value);
  }

  /** Writes what was appended and makes it readable (loading the head if the run had none). */
  void publish() throws IOException {
    ByteBuffer w = write;
    if (w != null && w.position() > 0) {
      flush(w);
    }
    if (!read.hasRemaining()) {
      refill();
    }
  }

  /** No more appends: drops the write buffer. */
  void finishBuilding() {
    building = false;
    write = null;
  }

  /** Closes the channel and deletes the file; the run is empty from now on. Idempotent. */
  void delete() throws IOException {
    if (deleted) {
      return;
    }
    deleted = true;
    read.limit(0);
    consumed = published;
    write = null;
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(path);
    }
  }

  private void flush(ByteBuffer w) throws IOException {
    w.flip();
    long at = published * ENTRY_BYTES;
    int entries = w.remaining() / ENTRY_BYTES;
    while (w.hasRemaining()) {
      at += channel.write(w, at);
    }
    published += entries;
    w.clear();
  }

  private void refill() throws IOException {
    long available = published - consumed;
    read.clear();
    read.limit((int) Math.min(available, BUFFER_ENTRIES) * ENTRY_BYTES);
    long at = consumed * ENTRY_BYTES;
    while (read.hasRemaining()) {
      int n = channel.read(read, at);
      if (n < 0) {
        throw new IOException("run file shorter than written: " + path);
      }
      at += n;
    }
    read.flip();
  }

  @Override
  public String toString() {
    return "RunFile[" + path.getFileName() + ", level=" + level + ", rank=" + rank + ", remaining="
        + remaining() + (building ? ", building" : "") + (merging ? ", merging" : "") + "]";
  }
}
