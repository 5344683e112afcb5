package io.warrenmq.store.log;

import io.warrenmq.store.recovery.RecoveryReport;
import io.warrenmq.store.sync.BlockingGuard;
import io.warrenmq.store.sync.DirectorySync;
import io.warrenmq.store.sync.Syncable;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * An append-only log of opaque records, for the broker's durable definitions (vhosts, exchanges,
 * queues, bindings, users, ...). The file starts with a 16-byte header (magic {@code WARRLOG1}, u32
 * format version {@value #FORMAT_VERSION}, u32 reserved); then each record is framed as a
 * big-endian u32 length (1 to {@link #MAX_RECORD_SIZE}), a u32 CRC32C of the record, and the
 * record. {@link #open} recovers the records and cuts a torn tail (the first frame whose length or
 * CRC does not check out, and all after it). {@link #rewrite} compacts: it writes the live records
 * to a temporary file, forces it, renames it over the log atomically and fsyncs the directory.
 *
 * <p><b>Threading.</b> Thread-safe. {@link #append} takes a short lock and writes to the page cache
 * without forcing; {@link #force()} does not hold that lock while it fsyncs, so appends go on;
 * {@link #rewrite}, {@link #force()} and {@link #close()} serialise on a second lock (order: force
 * lock, then append lock). {@code open}, {@code force} and {@code rewrite} block and refuse Netty
 * event loops.
 */
public final class RecordLog implements Syncable, AutoCloseable {

  /** The format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** The largest record accepted (a limit on every input, STYLE 8.7). */
  public static final int MAX_RECORD_SIZE = 64 * 1024 * 1024;

  private static final byte[] MAGIC = "WARRLOG1".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER_SIZE = 16;
  private static final int FRAME_HEADER_SIZE = 8;

  private final Path file;
  private final List<byte[]> recovered;
  private final RecoveryReport report;
  private final ReentrantLock forceLock = new ReentrantLock();
  private final ReentrantLock lock = new ReentrantLock();
  private final CRC32C crc = new CRC32C();

  // guarded by lock (and forceLock for replacement)
  private FileChannel ch;
  private long end;
  private boolean closed;

  private RecordLog(
      Path file, FileChannel ch, long end, List<byte[]> recovered, RecoveryReport report) {
    this.file = file;
    this.ch = ch;
    this.end = end;
    this.recovered = recovered;
    this.report = report;
  }

  /**
   * Opens the log at {@code file}, creating it (and its directories) if missing, and recovers its
   * records.
   *
   * @throws IOException naming the file if its magic or version is unknown, or on an I/O error
   */
  public static RecordLog open(Path file) throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    Path parent = file.toAbsolutePath().getParent();
    DirectorySync.createDirectories(parent);
    Files.deleteIfExists(tmpFile(file));
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (!hasHeader(ch, file)) {
        if (ch.size() > HEADER_SIZE) {
          // the header is forced before any record is appended: this is damage, not a crash
          throw new IOException("record log with a blank header and data after it: " + file);
        }
        ch.truncate(0);
        writeFully(ch, header(), 0);
        ch.force(true);
        DirectorySync.force(parent);
        return new RecordLog(file, ch, HEADER_SIZE, List.of(), RecoveryReport.EMPTY);
      }
      List<byte[]> records = new ArrayList<>();
      long size = ch.size();
      long end = scan(ch, size, records);
      long cut = size - end;
      if (cut > 0) {
        ch.truncate(end);
        ch.force(true);
      }
      var report = new RecoveryReport(1, records.size(), 0, cut > 0 ? 1 : 0, cut, 0);
      return new RecordLog(file, ch, end, List.copyOf(records), report);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The records recovered at {@link #open}, in order (not those appended since). */
  public List<byte[]> records() {
    return recovered;
  }

  /** What {@link #open} found and did (a cut torn tail counts in {@code tornTails}). */
  public RecoveryReport recoveryReport() {
    return report;
  }

  public Path file() {
    return file;
  }

  /**
   * Appends a record (copied; the array is the caller's again on return). Not durable until {@link
   * #force()}.
   *
   * @throws IllegalArgumentException if the record is empty or larger than {@link #MAX_RECORD_SIZE}
   */
  public void append(byte[] record) throws IOException {
    checkSize(record);
    lock.lock();
    try {
      checkOpen();
      ByteBuffer frame = frame(record);
      writeFully(ch, frame, end);
      end += frame.capacity();
    } finally {
      lock.unlock();
    }
  }

  /** fsyncs everything appended so far ({@code FileChannel.force(false)}). No-op once closed. */
  @Override
  public void force() throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    forceLock.lock();
    try {
      FileChannel c;
      lock.lock();
      try {
        if (closed) {
          return;
        }
        c = ch;
      } finally {
        lock.unlock();
      }
      c.force(false);
    } finally {
      forceLock.unlock();
    }
  }

  /**
   * Compaction: replaces the log's content with {@code live}, atomically (temporary file, force,
   * rename, directory fsync); appends continue in the new file. On a failure before the rename the
   * old log is untouched.
   */
  public void rewrite(Iterable<byte[]> live) throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    forceLock.lock();
    lock.lock();
    try {
      checkOpen();
      Path tmp = tmpFile(file);
      FileChannel t =
          FileChannel.open(
              tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.READ, StandardOpenOption.WRITE);
      long newEnd;
      try {
        newEnd = writeAll(t, live);
        t.force(true);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException | RuntimeException e) {
        t.close();
        Files.deleteIfExists(tmp);
        throw e;
      }
      FileChannel old = ch;
      ch = t;
      end = newEnd;
      old.close();
      DirectorySync.force(file.toAbsolutePath().getParent());
    } finally {
      lock.unlock();
      forceLock.unlock();
    }
  }

  /** Closes the file (no force). Idempotent. */
  @Override
  public void close() throws IOException {
    forceLock.lock();
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        ch.close();
      }
    } finally {
      lock.unlock();
      forceLock.unlock();
    }
  }

  private long writeAll(FileChannel t, Iterable<byte[]> live) throws IOException {
    long pos = 0;
    pos += writeFully(t, header(), pos);
    for (byte[] record : live) {
      checkSize(record);
      pos += writeFully(t, frame(record), pos);
    }
    return pos;
  }

  private ByteBuffer frame(byte[] record) {
    crc.reset();
    crc.update(record);
    ByteBuffer b = ByteBuffer.allocate(FRAME_HEADER_SIZE + record.length);
    b.putInt(record.length).putInt((int) crc.getValue()).put(record).flip();
    return b;
  }

  /** Reads frames after the header; returns the offset after the last valid one. */
  private static long scan(FileChannel ch, long size, List<byte[]> out) throws IOException {
    ch.position(HEADER_SIZE);
    // not closed: closing the stream would close the channel, which the log keeps
    var in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16));
    CRC32C crc = new CRC32C();
    long pos = HEADER_SIZE;
    try {
      while (pos + FRAME_HEADER_SIZE <= size) {
        int len = in.readInt();
        int stored = in.readInt();
        if (len <= 0 || len > MAX_RECORD_SIZE || pos + FRAME_HEADER_SIZE + len > size) {
          break;
        }
        byte[] record = new byte[len];
        in.readFully(record);
        crc.reset();
        crc.update(record);
        if ((int) crc.getValue() != stored) {
          break;
        }
        out.add(record);
        pos += FRAME_HEADER_SIZE + len;
      }
    } catch (EOFException e) {
      // the file changed under the scan; what was read whole and checked stays
      return pos;
    }
    return pos;
  }

  private static boolean hasHeader(FileChannel ch, Path file) throws IOException {
    if (ch.size() < HEADER_SIZE) {
      return false;
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
    while (b.hasRemaining()) {
      if (ch.read(b, b.position()) < 0) {
        throw new EOFException("reading the header of " + file);
      }
    }
    byte[] bytes = b.array();
    if (Arrays.equals(bytes, new byte[HEADER_SIZE])) {
      return false;
    }
    if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException("not a WarrenMQ record log (bad magic): " + file);
    }
    int version = b.getInt(MAGIC.length);
    if (version != FORMAT_VERSION) {
      throw new IOException(
          "unsupported record log version " + version + " (this build reads " + FORMAT_VERSION
              + "): " + file);
    }
    return true;
  }

  private static ByteBuffer header() {
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
    b.put(MAGIC).putInt(FORMAT_VERSION).putInt(0).flip();
    return b;
  }

  private static int writeFully(FileChannel c, ByteBuffer b, long pos) throws IOException {
    int n = b.remaining();
    while (b.hasRemaining()) {
      c.write(b, pos + n - b.remaining());
    }
    return n;
  }

  private static Path tmpFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".tmp");
  }

  private static void checkSize(byte[] record) {
    if (record.length == 0 || record.length > MAX_RECORD_SIZE) {
      throw new IllegalArgumentException("record of " + record.length + " bytes");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("record log closed: " + file);
    }
  }
}
