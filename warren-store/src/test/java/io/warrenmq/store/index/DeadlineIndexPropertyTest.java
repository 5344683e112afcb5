package io.warrenmq.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.store.index.DeadlineIndexTest.Entry;
import io.warrenmq.store.index.DeadlineIndexTest.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link DeadlineIndex} under random interleavings of adds and polls with a clock that moves
 * forward, for memory heaps from 1 entry (a run per add, merges all the time) to a few dozen, with
 * and without a filter.
 */
class DeadlineIndexPropertyTest {

  @Property(tries = 30)
  void randomAddsAndPollsAgreeWithTheReference(
      @ForAll @IntRange(min = 1, max = 48) int memoryEntries,
      @ForAll @IntRange(min = 10, max = 100_000) int spread,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed)
      throws IOException {
    Path dir = Files.createTempDirectory("deadline-index");
    try (DeadlineIndex index = new DeadlineIndex(dir.resolve("d"), memoryEntries)) {
      DeadlineIndexTest.randomWorkload(index, seed, 3_000, spread);
      assertThat(index.runCount()).isZero();
    } finally {
      Files.delete(dir);
    }
  }

  /**
   * With a filter (here: a value divisible by 3 goes stale 50 adds after its own, as if consumed
   * meanwhile, so entries die in the memory heap, in runs and during merges), stale entries may or
   * may not come out, but the others come out exactly as without a filter, and nothing comes out
   * early or out of order.
   */
  @Property(tries = 20)
  void aFilterOnlyEverDropsStaleEntries(
      @ForAll @IntRange(min = 1, max = 48) int memoryEntries,
      @ForAll @IntRange(min = 10, max = 100_000) int spread,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed)
      throws IOException {
    Path dir = Files.createTempDirectory("deadline-index");
    long[] added = {0};
    DeadlineFilter live = (deadline, value) -> value % 3 != 0 || added[0] < value + 50;
    try (DeadlineIndex index = new DeadlineIndex(dir.resolve("d"), memoryEntries, live)) {
      Random random = new Random(seed);
      Reference reference = new Reference();
      long now = 0;
      long value = 0;
      long polled = 0;
      for (int op = 0; op < 3_000; op++) {
        if (random.nextInt(10) < 6) {
          long deadline = now + random.nextInt(spread);
          index.add(deadline, value);
          reference.add(deadline, value);
          value++;
          added[0] = value;
        } else {
          now += random.nextInt(spread / 20 + 1);
          List<Entry> got = DeadlineIndexTest.pollDue(index, now, Integer.MAX_VALUE);
          List<Entry> expected = reference.pollDue(now, Integer.MAX_VALUE);
          assertThat(got).isSubsetOf(expected);
          assertThat(liveOnly(got)).isEqualTo(liveOnly(expected));
          polled += got.size();
        }
        assertThat(index.size()).isEqualTo(value - polled - index.droppedCount());
        assertThat(index.size()).isLessThanOrEqualTo(reference.size());
      }
      List<Entry> rest = DeadlineIndexTest.pollDue(index, Long.MAX_VALUE, Integer.MAX_VALUE);
      assertThat(liveOnly(rest))
          .isEqualTo(liveOnly(reference.pollDue(Long.MAX_VALUE, Integer.MAX_VALUE)));
      assertThat(index.size()).isZero();
    } finally {
      Files.delete(dir);
    }
  }

  private static List<Entry> liveOnly(List<Entry> entries) {
    List<Entry> live = new ArrayList<>();
    for (Entry e : entries) {
      if (e.value() % 3 != 0) {
        live.add(e);
      }
    }
    return live;
  }
}
