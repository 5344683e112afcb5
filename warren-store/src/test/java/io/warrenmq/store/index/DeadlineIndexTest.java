package io.warrenmq.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeadlineIndex} against a reference (a priority queue ordered by deadline, then insertion),
 * across many spills and merges, with its heap bound and its files.
 */
class DeadlineIndexTest {

  @TempDir Path root;

  private final List<DeadlineIndex> opened = new ArrayList<>();

  @AfterEach
  void closeIndexes() {
    opened.forEach(DeadlineIndex::close);
  }

  private Path dir() {
    return root.resolve("deadlines");
  }

  private DeadlineIndex open(int memoryEntries) {
    return open(memoryEntries, DeadlineFilter.KEEP_ALL);
  }

  private DeadlineIndex open(int memoryEntries, DeadlineFilter filter) {
    DeadlineIndex index = new DeadlineIndex(dir(), memoryEntries, filter);
    opened.add(index);
    return index;
  }

  record Entry(long deadline, long value) {}

  /** What the index must do: deadline order, ties in insertion order. */
  static final class Reference {
    private final PriorityQueue<long[]> queue =
        new PriorityQueue<>(
            Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    private long seq;

    void add(long deadline, long value) {
      queue.add(new long[] {deadline, seq++, value});
    }

    List<Entry> pollDue(long now, int max) {
      List<Entry> out = new ArrayList<>();
      while (out.size() < max && !queue.isEmpty() && queue.peek()[0] <= now) {
        long[] e = queue.poll();
        out.add(new Entry(e[0], e[2]));
      }
      return out;
    }

    long nextDeadline() {
      return queue.isEmpty() ? Long.MAX_VALUE : queue.peek()[0];
    }

    int size() {
      return queue.size();
    }
  }

  static List<Entry> pollDue(DeadlineIndex index, long now, int max) throws IOException {
    List<Entry> out = new ArrayList<>();
    int n = index.pollDue(now, max, (d, v) -> out.add(new Entry(d, v)));
    assertThat(n).isEqualTo(out.size());
    return out;
  }

  private long runFiles() throws IOException {
    if (!Files.isDirectory(dir())) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir())) {
      return files.count();
    }
  }

  /** Adds and polls at random with a clock that moves forward, checking every step. */
  static void randomWorkload(DeadlineIndex index, long seed, int ops, int spread)
      throws IOException {
    Random random = new Random(seed);
    Reference reference = new Reference();
    long now = 0;
    long value = 0;
    for (int op = 0; op < ops; op++) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        long deadline = now + random.nextInt(spread) - spread / 10;
        index.add(deadline, value);
        reference.add(deadline, value);
        value++;
      } else if (kind < 9) {
        now += random.nextInt(spread / 20 + 1);
        int max = 1 + random.nextInt(64);
        assertThat(pollDue(index, now, max)).isEqualTo(reference.pollDue(now, max));
      } else {
        assertThat(index.nextDeadline()).isEqualTo(reference.nextDeadline());
      }
      assertThat(index.size()).isEqualTo(reference.size());
    }
    assertThat(pollDue(index, Long.MAX_VALUE, Integer.MAX_VALUE))
        .isEqualTo(reference.pollDue(Long.MAX_VALUE, Integer.MAX_VALUE));
    assertThat(index.size()).isZero();
    assertThat(index.nextDeadline()).isEqualTo(Long.MAX_VALUE);
  }

  @Nested
  class Ordering {

    @Test
    void entriesComeOutInDeadlineOrderWithTiesInInsertionOrderAcrossSpillsAndMerges()
        throws IOException {
      DeadlineIndex index = open(16);
      Reference reference = new Reference();
      Random random = new Random(1);
      for (int i = 0; i < 50_000; i++) {
        long deadline = random.nextInt(1_000); // about 50 entries per deadline
        index.add(deadline, i);
        reference.add(deadline, i);
      }
      assertThat(index.spillCount()).isGreaterThan(3_000);
      assertThat(index.levels()).isGreaterThanOrEqualTo(3);
      for (long now = -1; now <= 1_000; now += 7) {
        assertThat(index.nextDeadline()).isEqualTo(reference.nextDeadline());
        assertThat(pollDue(index, now, 300)).isEqualTo(reference.pollDue(now, 300));
        assertThat(index.size()).isEqualTo(reference.size());
      }
      assertThat(pollDue(index, 1_000, Integer.MAX_VALUE))
          .isEqualTo(reference.pollDue(1_000, Integer.MAX_VALUE));
      assertThat(index.size()).isZero();
    }

    @Test
    void onlyDueEntriesComeOutAtMostMaxAtATime() throws IOException {
      DeadlineIndex index = open(4);
      for (int i = 0; i < 20; i++) {
        index.add(100 + i, i);
      }
      assertThat(index.nextDeadline()).isEqualTo(100);
      assertThat(pollDue(index, 99, 100)).isEmpty();
      assertThat(pollDue(index, 104, 3))
          .containsExactly(new Entry(100, 0), new Entry(101, 1), new Entry(102, 2));
      assertThat(pollDue(index, 104, 0)).isEmpty();
      assertThat(pollDue(index, 104, 100)).containsExactly(new Entry(103, 3), new Entry(104, 4));
      assertThat(index.nextDeadline()).isEqualTo(105);
      assertThat(index.size()).isEqualTo(15);
    }

    @Test
    void extremeDeadlinesAndValuesKeepTheirOrder() throws IOException {
      DeadlineIndex index = open(2);
      index.add(Long.MAX_VALUE, -1);
      index.add(0, Long.MIN_VALUE);
      index.add(Long.MIN_VALUE, Long.MAX_VALUE);
      index.add(-5, 7);
      index.add(Long.MAX_VALUE, -2);
      assertThat(index.runCount()).isPositive();
      assertThat(pollDue(index, Long.MAX_VALUE, 10))
          .containsExactly(
              new Entry(Long.MIN_VALUE, Long.MAX_VALUE),
              new Entry(-5, 7),
              new Entry(0, Long.MIN_VALUE),
              new Entry(Long.MAX_VALUE, -1),
              new Entry(Long.MAX_VALUE, -2));
    }

    @Test
    void theConsumerMayAddWhilePollingAsARetryWithBackOffWould() throws IOException {
      DeadlineIndex index = open(8);
      for (int i = 0; i < 100; i++) {
        index.add(i, i);
      }
      List<Entry> seen = new ArrayList<>();
      int polled =
          index.pollDue(
              1_000,
              150,
              (deadline, value) -> {
                seen.add(new Entry(deadline, value));
                if (value < 100) {
                  try {
                    index.add(deadline + 500, value + 100); // the retry, later
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }
              });
      assertThat(polled).isEqualTo(150);
      for (int i = 0; i < 100; i++) {
        assertThat(seen.get(i)).isEqualTo(new Entry(i, i));
      }
      for (int i = 100; i < 150; i++) { // the retries of the first 50, at their later deadlines
        assertThat(seen.get(i)).isEqualTo(new Entry(i - 100 + 500, i));
      }
      assertThat(index.size()).isEqualTo(50);
    }
  }

  @Nested
  class Bounds {

    @Test
    void aMillionEntriesWithMemoryEntries1024KeepTheHeapBounded() throws IOException {
      int memoryEntries = 1024;
      DeadlineIndex index = open(memoryEntries);
      Random random = new Random(3);
      int maxInMemory = 0;
      int maxCapacity = 0;
      int maxRuns = 0;
      int maxRunsOverBound = Integer.MIN_VALUE;
      long maxWrittenByOneAdd = 0;
      for (int i = 0; i < 1_000_000; i++) {
        long before = index.entriesWritten();
        index.add(random.nextLong(1_000_000_000L), i);
        maxWrittenByOneAdd = Math.max(maxWrittenByOneAdd, index.entriesWritten() - before);
        maxInMemory = Math.max(maxInMemory, index.entriesInMemory());
        maxCapacity = Math.max(maxCapacity, index.memoryCapacity());
        maxRuns = Math.max(maxRuns, index.runCount());
        maxRunsOverBound =
            Math.max(maxRunsOverBound, index.runCount() - maxRunsFor(index.levels()));
      }
      assertThat(maxInMemory).isEqualTo(memoryEntries);
      assertThat(maxCapacity).isEqualTo(memoryEntries);
      assertThat(maxRunsOverBound).isNotPositive();
      assertThat(maxRuns).isLessThanOrEqualTo(maxRunsFor(5));
      int levels = index.levels();
      assertThat(index.size()).isEqualTo(1_000_000);
      assertThat(levels).isBetween(3, 5);
      // no add pays for a whole merge: a spill and one chunk per running merge at most
      assertThat(maxWrittenByOneAdd)
          .isLessThanOrEqualTo(memoryEntries + (long) levels * DeadlineIndex.MERGE_CHUNK);
      assertThat(index.entriesWritten()).isLessThanOrEqualTo((levels + 1) * 1_000_000L);

      long[] state = {Long.MIN_VALUE, 0, 0}; // last deadline, count, out of order
      BitSet values = new BitSet(1_000_000);
      int maxRunsWhileDraining = 0;
      while (index.pollDue(
              Long.MAX_VALUE,
              10_000,
              (d, v) -> {
                state[2] += d < state[0] ? 1 : 0;
                state[0] = d;
                state[1]++;
                values.set((int) v);
              })
          > 0) {
        maxRunsWhileDraining = Math.max(maxRunsWhileDraining, index.runCount());
      }
      assertThat(state[2]).as("out of order").isZero();
      assertThat(maxRunsWhileDraining).isLessThanOrEqualTo(maxRuns);
      assertThat(state[1]).isEqualTo(1_000_000);
      assertThat(values.cardinality()).isEqualTo(1_000_000);
      assertThat(index.runCount()).isZero();
      assertThat(index.memoryCapacity()).isLessThanOrEqualTo(16);
      assertThat(runFiles()).isZero();
    }

    /** Per level: the runs being merged, those that came in meanwhile, and the merge output. */
    private int maxRunsFor(int levels) {
      return Math.max(1, levels) * (DeadlineIndex.MERGE_FANIN + 4);
    }
  }

  @Nested
  class Filter {

    @Test
    void staleEntriesAreDroppedWhenTheMemoryHeapFillsInsteadOfSpilled() throws IOException {
      long[] liveFrom = {0};
      DeadlineIndex index = open(100, (deadline, value) -> value >= liveFrom[0]);
      for (int i = 0; i < 100; i++) {
        index.add(i, i);
      }
      liveFrom[0] = 90; // the first 90 were consumed meanwhile

      index.add(100, 100);

      assertThat(index.droppedCount()).isEqualTo(90);
      assertThat(index.spillCount()).isZero();
      assertThat(index.size()).isEqualTo(11);
      assertThat(dir()).doesNotExist();
      assertThat(pollDue(index, 95, 100)).extracting(Entry::value).containsExactly(
          90L, 91L, 92L, 93L, 94L, 95L);
    }

    @Test
    void aMostlyLiveHeapIsSpilledAndEntriesThatDieInRunsAreDroppedByMerges() throws IOException {
      long[] liveFrom = {0};
      DeadlineIndex index = open(16, (deadline, value) -> value >= liveFrom[0]);
      int value = 0;
      for (; value < 16 * DeadlineIndex.MERGE_FANIN; value++) {
        index.add(1_000 - value, value);
      }
      assertThat(index.spillCount()).isEqualTo(DeadlineIndex.MERGE_FANIN - 1);
      liveFrom[0] = value; // everything so far is stale now
      while (index.droppedCount() == 0) {
        index.add(2_000 + value, value++);
      }
      assertThat(index.droppedCount()).isPositive();
      long live = value - liveFrom[0];
      List<Entry> out = pollDue(index, Long.MAX_VALUE, Integer.MAX_VALUE);
      assertThat(out.stream().filter(e -> e.value() >= liveFrom[0]).count()).isEqualTo(live);
      assertThat(out).isSortedAccordingTo(Comparator.comparingLong(Entry::deadline));
      assertThat(out.size() + index.droppedCount()).isEqualTo(value);
    }
  }

  @Nested
  class RunFiles {

    @Test
    void thereIsNoDirectoryUntilTheFirstSpill() throws IOException {
      DeadlineIndex index = open(4);
      for (int i = 0; i < 4; i++) {
        index.add(i, i);
      }
      assertThat(dir()).doesNotExist();
      index.add(4, 4);
      assertThat(index.spillCount()).isEqualTo(1);
      assertThat(runFiles()).isEqualTo(1);
      assertThat(index.runCount()).isEqualTo(1);
      assertThat(index.entriesInMemory()).isEqualTo(1);
    }

    @Test
    void leftoverRunFilesAreDeletedAtTheFirstSpillAndOtherFilesAreLeftAlone() throws IOException {
      Files.createDirectories(dir());
      Files.write(dir().resolve("run.0000000001"), new byte[32]);
      Files.write(dir().resolve("run.0000000077"), new byte[16]);
      Files.writeString(dir().resolve("notes"), "not ours");
      DeadlineIndex index = open(2);
      index.add(5, 5);
      index.add(6, 6);
      assertThat(runFiles()).isEqualTo(3);

      index.add(7, 7); // spills

      assertThat(dir().resolve("run.0000000077")).doesNotExist();
      assertThat(dir().resolve("notes")).exists();
      assertThat(runFiles()).isEqualTo(2);
      assertThat(pollDue(index, 10, 10))
          .containsExactly(new Entry(5, 5), new Entry(6, 6), new Entry(7, 7));
      index.close();
      assertThat(dir()).as("not empty: the owner's to remove").exists();
      assertThat(runFiles()).isEqualTo(1);
    }

    @Test
    void aRunIsDeletedOnceItsEntriesAreAllPolled() throws IOException {
      DeadlineIndex index = open(4);
      for (int i = 0; i < 12; i++) {
        index.add(i, i);
      }
      assertThat(index.runCount()).isEqualTo(2);
      pollDue(index, 3, 100);
      assertThat(index.runCount()).isEqualTo(1);
      assertThat(runFiles()).isEqualTo(1);
      pollDue(index, 7, 100);
      assertThat(index.runCount()).isZero();
      assertThat(runFiles()).isZero();
      assertThat(index.size()).isEqualTo(4);
    }

    @Test
    void clearDeletesTheRunFilesAndTheIndexStaysUsable() throws IOException {
      DeadlineIndex index = open(8);
      for (int i = 0; i < 1_000; i++) {
        index.add(i % 97, i);
      }
      assertThat(runFiles()).isPositive();

      index.clear();

      assertThat(runFiles()).isZero();
      assertThat(index.size()).isZero();
      assertThat(index.runCount()).isZero();
      assertThat(index.mergeCount()).isZero();
      assertThat(index.nextDeadline()).isEqualTo(Long.MAX_VALUE);
      for (int i = 0; i < 20; i++) {
        index.add(20 - i, i);
      }
      assertThat(pollDue(index, 1, 10)).containsExactly(new Entry(1, 19));
      assertThat(index.size()).isEqualTo(19);
    }

    @Test
    void closeDeletesTheFilesAndTheDirectoryIsIdempotentAndRefusesFurtherUse()
        throws IOException {
      DeadlineIndex index = open(8);
      for (int i = 0; i < 1_000; i++) {
        index.add(i, i);
      }
      assertThat(runFiles()).isPositive();

      index.close();
      index.close();

      assertThat(dir()).doesNotExist();
      assertThatThrownBy(() -> index.add(1, 1)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> index.pollDue(1, 1, (d, v) -> {}))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(index::clear).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anIOErrorFailsTheIndexUntilItIsCleared() throws IOException {
      Files.writeString(dir(), "a file where the directory should be");
      DeadlineIndex index = open(2);
      index.add(1, 1);
      index.add(2, 2);

      assertThatThrownBy(() -> index.add(3, 3)).isInstanceOf(IOException.class);

      assertThatThrownBy(() -> index.add(4, 4))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("failed");
      assertThatThrownBy(index::nextDeadline).isInstanceOf(IllegalStateException.class);
      index.clear();
      index.add(5, 5);
      assertThat(pollDue(index, 5, 5)).containsExactly(new Entry(5, 5));
    }

    @Test
    void memoryEntriesMustBePositiveAndBounded() {
      assertThatThrownBy(() -> new DeadlineIndex(dir(), 0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new DeadlineIndex(dir(), DeadlineIndex.MAX_MEMORY_ENTRIES + 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
