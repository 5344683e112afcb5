package io.warrenmq.store.segment;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * One segment file ({@link SegmentNames msgs.NNNNNNNNNN}), pre-sized (sparse) to its capacity and
 * mapped with FFM into an {@link Arena#ofShared() shared arena}, so that it is unmapped
 * deterministically ({@link SegmentMapping}). It starts with a {@link SegmentHeader} and holds
 * records in the {@link RecordLayout} one after the other; the zeros of the pre-sized file after
 * the last record mark the end of data. This class is the records: appending them, reading them,
 * their in-place state and delivery counts with the segment's record and ack counters, and forcing
 * what was appended.
 *
 * <p><b>Threading.</b> One owner thread at a time (the queue's) appends, reads and mutates records
 * and their counters; {@link #force()} may run concurrently on another thread, which must hold a
 * reference taken with {@link #tryRetain()} and given back with {@link #release()}. The mapping
 * lives as long as references do: the owner holds the first one and gives it up with {@link
 * #close()} or {@link #delete()}; whoever drops the last reference unmaps. Record accessors on an
 * unmapped segment throw {@link IllegalStateException} (FFM checks it), never crash the JVM.
 *
 * <p><b>Buffers.</b> {@link #append} borrows its payload; {@link #read} returns a new buffer that the
 * caller owns; {@link #readInto} writes into the caller's buffer.
 */
public final class SegmentFile implements AutoCloseable {

  /** The default capacity of a segment: 8 MiB. */
  public static final int DEFAULT_CAPACITY = 8 * 1024 * 1024;

  /** The smallest capacity accepted: a header and one small record. */
  public static final int MIN_CAPACITY = 64;

  /** The largest payload a record may carry (its segment must stay addressable by an int). */
  public static final int MAX_PAYLOAD =
      Integer.MAX_VALUE - SegmentHeader.SIZE - RecordLayout.HEADER_SIZE;

  private final long id;
  private final Path path;
  private final SegmentMapping mapping;
  /** {@code mapping}'s memory, at hand for the record accessors. */
  private final MemorySegment mapped;
  private final int capacity;
  private final CRC32C crc = new CRC32C();
  private final Object forceLock = new Object();

  /** Written by the owner after a record is complete; read by the forcer. */
  private volatile int end;

  // owner-thread state
  private int records;
  private int acked;

  // guarded by forceLock
  private int forcedUpTo;

  private SegmentFile(
      long id, Path path, SegmentMapping mapping, int end, int records, int acked, int forcedUpTo) {
    this.id = id;
    this.path = path;
    this.mapping = mapping;
    this.mapped = mapping.memory();
    this.capacity = Math.toIntExact(mapped.byteSize());
    this.end = end;
    this.records = records;
    this.acked = acked;
    this.forcedUpTo = forcedUpTo;
  }

  /** The capacity of a new segment that must hold a payload of this length. */
  public static int capacityFor(int defaultCapacity, int payloadLength) {
    long needed = (long) SegmentHeader.SIZE + RecordLayout.HEADER_SIZE + payloadLength;
    return (int) Math.max(defaultCapacity, needed);
  }

  /**
   * Creates, pre-sizes and maps a new, empty segment file. The file and its directory entry are
   * not yet durable: the first {@link #force()} covers the header, the owner must fsync the
   * directory.
   *
   * @throws java.nio.file.FileAlreadyExistsException if the file exists
   */
  public static SegmentFile create(Path dir, long id, int capacity) throws IOException {
    if (capacity < MIN_CAPACITY) {
      throw new IllegalArgumentException("segment capacity below " + MIN_CAPACITY + ": " + capacity);
    }
    Path path = dir.resolve(SegmentNames.fileName(id));
    return new SegmentFile(id, path, SegmentMapping.create(path, capacity), SegmentHeader.SIZE, 0, 0, 0);
  }

  /**
   * Maps an existing segment file whose records recovery has checked: the data ends at {@code
   * end}, holds {@code records} records of which {@code acked} are acked, and counts as forced.
   */
  public static SegmentFile open(Path path, long id, int end, int records, int acked)
      throws IOException {
    return new SegmentFile(id, path, SegmentMapping.open(path, end), end, records, acked, end);
  }

  public long id() {
    return id;
  }

  public Path path() {
    return path;
  }

  public int capacity() {
    return capacity;
  }

  /** The offset after the last record: the end of data. Readable from any thread. */
  public int end() {
    return end;
  }

  /** Records in this segment, acked or not. Owner thread. */
  public int records() {
    return records;
  }

  /** Acked records in this segment. Owner thread. */
  public int acked() {
    return acked;
  }

  /** Whether every record here is acked (an empty segment is). Owner thread. */
  public boolean fullyAcked() {
    return acked == records;
  }

  /** Whether a record with a payload of this length fits after the end of data. */
  public boolean fits(int payloadLength) {
    return (long) end + RecordLayout.HEADER_SIZE + payloadLength <= capacity;
  }

  /**
   * Appends a ready record: copies the readable bytes of {@code payload} (borrowed; its indexes do
   * not move) and frames them. Owner thread.
   *
   * @return the record's offset
   * @throws IllegalArgumentException if the payload is empty, the weight negative, or the record
   *     does not {@link #fits fit}
   * @throws IOException if the page cannot be written (the JVM reports a fault in mapped memory,
   *     typically a full disk under the sparse file); the record is then not appended
   */
  public int append(ByteBuf payload, boolean persistent, int weight) throws IOException {
    int len = payload.readableBytes();
    if (len == 0) {
      throw new IllegalArgumentException("empty payload: a record carries at least one byte");
    }
    if (weight < 0) {
      throw new IllegalArgumentException("negative weight: " + weight);
    }
    if (!fits(len)) {
      throw new IllegalArgumentException(
          "record of " + len + " bytes does not fit in " + path + " at " + end);
    }
    int off = end;
    try {
      payload.getBytes(
          payload.readerIndex(),
          mapped.asSlice(off + RecordLayout.HEADER_SIZE, len).asByteBuffer());
      RecordLayout.writeHeader(
          mapped, off, len, persistent ? RecordLayout.FLAG_PERSISTENT : 0, weight, crc);
    } catch (InternalError e) {
      // SIGBUS on a page of the mapping (no block for a hole of the sparse file): see JDK's
      // "a fault occurred in an unsafe memory access operation". end has not moved.
      throw new IOException("cannot write to " + path + " at " + off + " (disk full?)", e);
    }
    records++;
    end = off + RecordLayout.HEADER_SIZE + len;
    return off;
  }

  /** The offset of the record after the one at {@code off}. */
  public int nextOffset(int off) {
    return off + RecordLayout.HEADER_SIZE + payloadLength(off);
  }

  public int payloadLength(int off) {
    return RecordLayout.payloadLength(mapped, checkOffset(off));
  }

  public boolean persistent(int off) {
    return (RecordLayout.flags(mapped, checkOffset(off)) & RecordLayout.FLAG_PERSISTENT) != 0;
  }

  public int weight(int off) {
    return RecordLayout.weight(mapped, checkOffset(off));
  }

  public int deliveries(int off) {
    return RecordLayout.deliveries(mapped, checkOffset(off));
  }

  /** Counts one more delivery (saturating) and returns the new count. Owner thread. */
  public int incrementDeliveries(int off) {
    return incrementDeliveries(off, 0);
  }

  /**
   * Counts one more delivery on top of at least {@code atLeast} earlier ones (saturating): the
   * stored count, raised to {@code atLeast} if below it, plus one. Returns the new count. Owner.
   */
  public int incrementDeliveries(int off, int atLeast) {
    int d = Math.max(RecordLayout.deliveries(mapped, checkOffset(off)), atLeast);
    if (d < RecordLayout.MAX_DELIVERIES) {
      d++;
    }
    RecordLayout.deliveries(mapped, off, d);
    return d;
  }

  /** One of {@link RecordLayout#STATE_READY}, {@code STATE_TAKEN}, {@code STATE_ACKED}. */
  public int state(int off) {
    return RecordLayout.state(mapped, checkOffset(off));
  }

  /**
   * Sets a record's state in place, keeping the acked counter. Owner thread.
   *
   * @throws IllegalArgumentException if the state is unknown or an acked record would come back
   */
  public void state(int off, int state) {
    int old = RecordLayout.state(mapped, checkOffset(off));
    if (state == old) {
      return;
    }
    if (old == RecordLayout.STATE_ACKED
        || (state != RecordLayout.STATE_READY
            && state != RecordLayout.STATE_TAKEN
            && state != RecordLayout.STATE_ACKED)) {
      throw new IllegalArgumentException("state " + old + " -> " + state + " at " + off);
    }
    RecordLayout.state(mapped, off, state);
    if (state == RecordLayout.STATE_ACKED) {
      acked++;
    }
  }

  /** Appends a copy of the record's payload to {@code dst} (the caller's buffer). */
  public void readInto(int off, ByteBuf dst) {
    int len = payloadLength(off);
    dst.writeBytes(mapped.asSlice(off + RecordLayout.HEADER_SIZE, len).asByteBuffer());
  }

  /** A new buffer from {@code alloc} with a copy of the record's payload; the caller owns it. */
  public ByteBuf read(int off, ByteBufAllocator alloc) {
    int len = payloadLength(off);
    ByteBuf buf = alloc.buffer(len, len);
    try {
      buf.writeBytes(mapped.asSlice(off + RecordLayout.HEADER_SIZE, len).asByteBuffer());
      return buf;
    } catch (RuntimeException e) {
      buf.release();
      throw e;
    }
  }

  /**
   * A read-only buffer over this segment's bytes from offset 0 to the current end of data, without
   * a copy: index it with {@link #payloadOffset} and {@link #payloadLength}. It is valid while the
   * segment is mapped and the owner leaves it alone; it is not reference counted (do not retain or
   * release it) and records appended after the call are not in it. Owner thread.
   */
  public ByteBuf readOnlyView() {
    return Unpooled.wrappedBuffer(mapped.asSlice(0, end).asByteBuffer().asReadOnlyBuffer());
  }

  /** The offset of the payload of the record at {@code off}. */
  public static int payloadOffset(int off) {
    return off + RecordLayout.HEADER_SIZE;
  }

  /**
   * Makes every record appended so far durable: msyncs the range written since the last force.
   * The caller holds a reference ({@link #tryRetain()} or the owner's). In-place state and
   * deliveries updates are not part of the promise. Thread-safe.
   */
  public void force() throws IOException {
    synchronized (forceLock) {
      int e = end;
      if (e <= forcedUpTo) {
        return;
      }
      try {
        mapped.asSlice(forcedUpTo, e - forcedUpTo).force();
      } catch (UncheckedIOException x) {
        throw new IOException("msync failed for " + path, x.getCause());
      }
      forcedUpTo = e;
    }
  }

  /**
   * Makes the whole segment durable: msyncs everything from the header to the end of data, so that
   * the states and delivery counts written in place since the segment was mapped are durable too,
   * not only the appended records. For a graceful close; the caller holds a reference.
   * Thread-safe.
   */
  public void forceAll() throws IOException {
    synchronized (forceLock) {
      int e = end;
      try {
        mapped.asSlice(0, e).force();
      } catch (UncheckedIOException x) {
        throw new IOException("msync failed for " + path, x.getCause());
      }
      forcedUpTo = e;
    }
  }

  /**
   * Drops this segment's pages from the process's resident set ({@link MemorySegment#unload()},
   * madvise MADV_DONTNEED on Linux): the bytes stay in the file and the page cache (dirty pages of
   * a shared mapping stay dirty and a later {@link #force()} still writes them), the next access
   * faults them back in. It bounds how much of a deep backlog counts in the broker's RSS. One
   * system call for the whole segment; harmless on a segment with nothing resident. Owner thread.
   */
  public void unload() {
    if (!mapping.mapped()) {
      return;
    }
    long page = 4096;
    long len = Math.min(capacity, (end + page - 1) / page * page);
    try {
      mapped.asSlice(0, len).unload();
    } catch (IllegalStateException | UnsupportedOperationException e) {
      // unmapped meanwhile, or a platform without it: residency is an optimisation, not a promise
    }
  }

  /** The offset up to which records are known durable (forced, or recovered). Thread-safe. */
  public int forcedUpTo() {
    synchronized (forceLock) {
      return forcedUpTo;
    }
  }

  /** Takes a reference unless the mapping is already gone. Thread-safe. */
  public boolean tryRetain() {
    return mapping.tryRetain();
  }

  /**
   * The owner is done with this segment: gives up the owner's reference, once (idempotent). The
   * file stays; the mapping goes now, or when a running force lets go of it.
   */
  @Override
  public void close() {
    mapping.closeOwner();
  }

  /** Drops a reference taken with {@link #tryRetain()}; the last one unmaps. Thread-safe. */
  public void release() {
    mapping.release();
  }

  /** Whether the mapping is still there. */
  public boolean mapped() {
    return mapping.mapped();
  }

  /**
   * Deletes the file and {@link #close() closes} the segment. The file goes at once (POSIX keeps a
   * mapping of an unlinked file valid); the mapping goes when the last reference does. Owner.
   */
  public void delete() throws IOException {
    try {
      Files.deleteIfExists(path);
    } finally {
      close();
    }
  }

  private int checkOffset(int off) {
    if (off < SegmentHeader.SIZE || off >= end) {
      throw new IllegalArgumentException("no record at offset " + off + " of " + path);
    }
    return off;
  }

  @Override
  public String toString() {
    return "SegmentFile[" + path + ", end=" + end + ", records=" + records + ", acked=" + acked
        + "]";
  }
}
