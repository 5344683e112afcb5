package io.warrenmq.store.segment;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory mapping of one segment file and its lifetime: the file mapped read-write with FFM into
 * a {@link Arena#ofShared() shared arena}, and the reference count that decides when it goes. The
 * owner holds the first reference and gives it up once ({@link #closeOwner()}); a thread that
 * forces the segment meanwhile holds one of its own ({@link #tryRetain()}, {@link #release()});
 * whoever drops the last one closes the arena, which unmaps deterministically. An access to the
 * memory after that throws {@link IllegalStateException} (FFM checks it), never crashes the JVM.
 *
 * <p>Threading: the reference count is thread-safe (atomics); the factories block on the file and
 * run on the thread that creates or recovers the segment. Buffers: none; {@link SegmentFile} reads
 * and writes the mapped memory.
 */
final class SegmentMapping {
  private final Path path;
  private final Arena arena;
  private final MemorySegment memory;
  private final AtomicInteger refs = new AtomicInteger(1);
  private final AtomicBoolean ownerClosed = new AtomicBoolean();

  private SegmentMapping(Path path, Arena arena, MemorySegment memory) {
    this.path = path;
    this.arena = arena;
    this.memory = memory;
  }

  /**
   * Creates the file with a {@link SegmentHeader} and maps it pre-sized (sparse) to {@code
   * capacity}. On failure nothing is left: the arena is closed and the file removed.
   *
   * @throws java.nio.file.FileAlreadyExistsException if the file exists
   */
  static SegmentMapping create(Path path, int capacity) throws IOException {
    Arena arena = Arena.ofShared();
    try (FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      var header = SegmentHeader.encode();
      while (header.hasRemaining()) {
        ch.write(header, header.position());
      }
      // mapping READ_WRITE beyond the end extends the file: sparse, reads as zeros
      return new SegmentMapping(path, arena, ch.map(FileChannel.MapMode.READ_WRITE, 0, capacity, arena));
    } catch (IOException | RuntimeException e) {
      arena.close();
      try {
        Files.deleteIfExists(path);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Maps an existing segment file whose header is valid and whose data ends at {@code end}. */
  static SegmentMapping open(Path path, int end) throws IOException {
    Arena arena = Arena.ofShared();
    try (FileChannel ch =
        FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (!SegmentHeader.check(ch, path)) {
        throw new IOException("blank segment header: " + path);
      }
      long size = ch.size();
      if (size > Integer.MAX_VALUE || end < SegmentHeader.SIZE || end > size) {
        throw new IOException("segment " + path + " of " + size + " bytes cannot end at " + end);
      }
      return new SegmentMapping(path, arena, ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena));
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /** The mapped bytes of the whole file. */
  MemorySegment memory() {
    return memory;
  }

  /** Takes a reference unless the mapping is already gone. */
  boolean tryRetain() {
    for (; ; ) {
      int n = refs.get();
      if (n <= 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /**
   * Drops a reference; the last one unmaps.
   *
   * @throws IllegalStateException if more references are dropped than were taken
   */
  void release() {
    int n = refs.decrementAndGet();
    if (n == 0) {
      arena.close();
    } else if (n < 0) {
      throw new IllegalStateException("segment released too often: " + path);
    }
  }

  /** Gives up the owner's reference, once (idempotent). */
  void closeOwner() {
    if (ownerClosed.compareAndSet(false, true)) {
      release();
    }
  }

  /** Whether the mapping is still there. */
  boolean mapped() {
    return refs.get() > 0;
  }
}
