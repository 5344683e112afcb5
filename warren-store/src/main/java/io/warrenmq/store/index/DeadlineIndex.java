package io.warrenmq.store.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A set of {@code (long deadline, long value)} entries handed out in deadline order, with a heap
 * footprint bounded however many entries it holds: for message TTL (a message that is not at the
 * head expires at its own deadline), delayed messages and retry back-off. Ties go out in insertion
 * order. Values are opaque (typically a store position); an entry may go stale (its message was
 * consumed first): the owner checks each entry it polls, and may pass a {@link DeadlineFilter} so
 * that stale entries are dropped whenever entries are rewritten.
 *
 * <p><b>Layout.</b> The newest entries sit in a primitive min-heap of at most {@code
 * memoryEntries} entries (24 bytes each: deadline, insertion sequence, value; it grows on demand
 * and shrinks after a drain). When it is full it is first filtered, and if it is still more than
 * half full it is spilled, sorted, to a new run file in {@code dir} ({@link RunFile}: 16-byte
 * entries). Runs are merged size-tiered: when {@value #MERGE_FANIN} runs of one level pile up, a
 * {@link RunMerge} merges them into one run of the next level, a chunk at a time, so that no call
 * pays for a whole merge: each {@link #add} earns every running merge {@value
 * #MERGE_CREDIT_PER_ADD} entries of work, paid in chunks of {@value #MERGE_CHUNK} entries (one 4
 * KiB write), which is fast enough for merges to keep up with spills. Polls merge the heads of the
 * memory heap and of every run; a run whose entries are all polled is deleted.
 *
 * <p><b>Costs</b> (M = {@code memoryEntries}, R = {@link #runCount()}, L = {@link #levels()},
 * about log<sub>8</sub>(size / M) + 1). {@code add}: O(log M) and no I/O, except: once every M
 * adds (fewer with a filter that drops entries) a spill sorts the heap out, M log M compares, and
 * writes 16·M bytes in 64 KiB positional writes (1 MiB for M = 65536: about 10 ms on a loaded
 * 2-core test machine, mostly the sort; it scales with M); once every 64 adds per running merge
 * (at most L of them), a merge chunk, 4 KiB written and at most {@value #MERGE_FANIN} + 1 reads of
 * 4 KiB (tens of microseconds). The worst single {@code add} is a spill plus L chunks; over time
 * each entry is written about L times (2.8 for 10M entries with M = 65536). {@code pollDue}: O(R
 * + log M) compares per entry, a 4 KiB positional read per 256 entries of a run, and the unlink of
 * each run it empties. {@link #nextDeadline()}: O(R), no I/O. Heap: 24·M bytes at most for the
 * memory heap (1.5 MiB for M = 65536), about 4.3 KiB and one open file per run, 4 KiB per running
 * merge, 64 KiB for the duration of a spill; R stays within {@value #MERGE_FANIN} + 4 per level (13
 * runs for 10M entries with M = 65536; 30 for 1M with M = 1024). Disk: 16 bytes per entry in runs,
 * plus the polled prefixes of runs not yet deleted or merged.
 *
 * <p><b>Threading.</b> Not thread-safe: the owner (the queue's lock or executor) serialises calls;
 * {@link #size()} may be read from any thread. Spills and merges do file I/O (writes into the page
 * cache, never an fsync) and are bounded as above, so {@code add} and {@code pollDue} carry no
 * blocking guard and may run on an event loop; the run files should be on a local disk.
 *
 * <p><b>Not durable.</b> Run files have no header, no CRC and no meaning after a restart: the
 * directory is created at the first spill, leftover run files in it ({@code run.*}) are deleted
 * then and by {@link #clear()} and {@link #close()}, and the owner rebuilds the index from its
 * store (e.g. {@code MessageStore.scanReady}). An {@code IOException} from {@code add} or {@code
 * pollDue} leaves the index failed: entries may be lost, every later call but {@code clear} and
 * {@code close} throws {@link IllegalStateException}; rebuild it.
 */
public final class DeadlineIndex implements AutoCloseable {

  /** Runs of one level merged into one. */
  public static final int MERGE_FANIN = 8;

  /** Entries moved by one merge step: one write buffer. */
  public static final int MERGE_CHUNK = RunFile.BUFFER_ENTRIES;

  /** Entries of merge work each {@code add} earns every running merge. */
  public static final int MERGE_CREDIT_PER_ADD = 4;

  /** The largest {@code memoryEntries} (1.5 GiB of heap). */
  public static final int MAX_MEMORY_ENTRIES = 1 << 26;

  private final int memoryEntries;
  private final DeadlineFilter filter;
  private final MemoryHeap memory;
  private final RunSet runs;
  private final Path dir;
  private long nextSeq;
  private long dropped;
  private volatile long size;
  private boolean failed;
  private boolean closed;

  /** An index that keeps every entry until it is polled. */
  public DeadlineIndex(Path dir, int memoryEntries) {
    this(dir, memoryEntries, DeadlineFilter.KEEP_ALL);
  }

  /**
   * Does no I/O: the directory is created at the first spill.
   *
   * @param dir where run files go; one index per directory
   * @param memoryEntries the most entries kept on the heap (24 bytes each), e.g. 65536
   * @param filter which entries are still wanted when entries are rewritten
   * @throws IllegalArgumentException if {@code memoryEntries} is not 1 to {@link
   *     #MAX_MEMORY_ENTRIES}
   */
  public DeadlineIndex(Path dir, int memoryEntries, DeadlineFilter filter) {
    if (memoryEntries < 1 || memoryEntries > MAX_MEMORY_ENTRIES) {
      throw new IllegalArgumentException("memoryEntries out of range: " + memoryEntries);
    }
    this.dir = dir;
    this.memoryEntries = memoryEntries;
    this.filter = filter;
    this.memory = new MemoryHeap(memoryEntries);
    this.runs = new RunSet(dir);
  }

  /**
   * Adds an entry. May spill the memory heap and run a merge chunk (see the class comment).
   *
   * @throws IOException if a run file cannot be written: the index is failed
   */
  public void add(long deadline, long value) throws IOException {
    checkUsable();
    try {
      if (memory.isFull()) {
        makeRoom();
      }
      memory.add(deadline, nextSeq++, value);
      size++;
      dropped(runs.progress(filter));
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /** The earliest deadline held (possibly of a stale entry), or {@link Long#MAX_VALUE}. No I/O. */
  public long nextDeadline() {
    checkUsable();
    long next = memory.isEmpty() ? Long.MAX_VALUE : memory.peekDeadline();
    RunFile first = runs.first();
    return first != null ? Math.min(next, first.headDeadline()) : next;
  }

  /**
   * Removes and hands to {@code out}, in deadline order (ties in insertion order), at most {@code
   * max} entries whose deadline is at or before {@code now}.
   *
   * @return how many were handed out
   * @throws IOException if a run file cannot be read or deleted: the index is failed (an
   *     exception from {@code out} only stops the poll)
   */
  public int pollDue(long now, int max, DeadlineConsumer out) throws IOException {
    checkUsable();
    int polled = 0;
    try {
      while (polled < max) {
        RunFile first = runs.first();
        // the memory heap holds the newest entries: a tie goes to the run
        boolean fromMemory =
            !memory.isEmpty() && (first == null || memory.peekDeadline() < first.headDeadline());
        long deadline;
        long value;
        if (fromMemory) {
          deadline = memory.peekDeadline();
          value = memory.peekValue();
          if (deadline > now) {
            break;
          }
          memory.removeTop();
        } else {
          if (first == null || first.headDeadline() > now) {
            break;
          }
          deadline = first.headDeadline();
          value = first.headValue();
          runs.takeHead(first);
        }
        size--;
        polled++;
        out.accept(deadline, value); // may add: the next round looks at every source again
      }
      memory.trim();
      runs.afterPolls();
      return polled;
    } catch (IOException e) {
      failed = true;
      throw e;
    }
  }

  /** Entries held, stale ones included. Any thread. */
  public long size() {
    return size;
  }

  /** Entries in the memory heap: at most {@code memoryEntries}. */
  public int entriesInMemory() {
    return memory.size();
  }

  /** Entries the memory heap's array holds room for (24 bytes each): at most memoryEntries. */
  public int memoryCapacity() {
    return memory.capacity();
  }

  /** Run files, including merge outputs being written. */
  public int runCount() {
    return runs.runCount();
  }

  /** Merges under way. */
  public int mergeCount() {
    return runs.mergeCount();
  }

  /** The highest run level + 1, or 0 without runs. */
  public int levels() {
    return runs.levels();
  }

  /** Spills of the memory heap so far. */
  public long spillCount() {
    return runs.spillCount();
  }

  /** Entries written to run files so far, by spills and merges: the write amplification. */
  public long entriesWritten() {
    return runs.entriesWritten();
  }

  /** Entries the filter dropped so far (stale entries that were never handed out). */
  public long droppedCount() {
    return dropped;
  }

  /**
   * Drops every entry and deletes every run file (leftovers included); the index is usable again,
   * even after a failure.
   *
   * @throws UncheckedIOException if a file cannot be deleted (the index is empty regardless)
   */
  public void clear() {
    checkOpen();
    memory.clear();
    size = 0;
    failed = false;
    runs.deleteAll(false);
  }

  /**
   * Drops everything like {@link #clear()}, removes the directory if it is left empty, and makes
   * the index unusable. Idempotent.
   *
   * @throws UncheckedIOException if a file cannot be deleted
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    memory.clear();
    size = 0;
    runs.deleteAll(true);
  }

  /** The memory heap is full: drop stale entries, and spill unless that freed half of it. */
  private void makeRoom() throws IOException {
    if (filter != DeadlineFilter.KEEP_ALL) {
      dropped(memory.retain(filter));
      if (memory.size() <= memoryEntries / 2) {
        return;
      }
    }
    runs.spill(memory);
  }

  private void dropped(int n) {
    size -= n;
    dropped += n;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("deadline index closed: " + dir);
    }
  }

  private void checkUsable() {
    checkOpen();
    if (failed) {
      throw new IllegalStateException("deadline index failed on an I/O error: " + dir);
    }
  }
}
