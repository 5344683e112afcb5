package io.warrenmq.store.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The run files of a {@link DeadlineIndex} and their merges: spilling the memory heap to a new run,
 * size-tiered incremental merging ({@link RunMerge}), the head of all runs for polls, and deleting
 * runs once consumed. Runs are kept oldest entries first, which is how ties between runs are
 * broken; a merge output sits just before its inputs.
 *
 * <p>Not thread-safe: confined to the index's owner.
 */
final class RunSet {

  private static final String RUN_PREFIX = "run.";

  private final Path dir;
  private final List<RunFile> runs = new ArrayList<>(); // oldest entries first
  private final List<RunMerge> merges = new ArrayList<>();
  private final RunMerge.HeadTaker taker = this::takeHead;
  private long nextRunId = 1;
  private long spills;
  private long entriesWritten;
  private boolean dirReady;
  private boolean inputsDrained;

  RunSet(Path dir) {
    this.dir = dir;
  }

  /** Writes {@code memory}, in order, to a new level-0 run (the youngest) and empties it. */
  void spill(MemoryHeap memory) throws IOException {
    prepareDirectory();
    RunFile run =
        RunFile.create(nextRunPath(), rank(++spills, 0), 0, RunFile.SPILL_BUFFER_BYTES);
    runs.add(run);
    int entries = memory.size();
    while (!memory.isEmpty()) {
      run.append(memory.peekDeadline(), memory.peekValue());
      memory.removeTop();
    }
    run.publish();
    run.finishBuilding();
    entriesWritten += entries;
    startMerges();
  }

  /**
   * Pays each running merge for one add; runs a chunk of those whose credit reached a chunk and
   * finishes those that are done.
   *
   * @return entries the filter dropped
   */
  int progress(DeadlineFilter filter) throws IOException {
    int dropped = 0;
    for (RunMerge merge : merges) {
      if (merge.earn(DeadlineIndex.MERGE_CREDIT_PER_ADD, DeadlineIndex.MERGE_CHUNK)) {
        long before = merge.output().remaining();
        dropped += merge.step(DeadlineIndex.MERGE_CHUNK, filter, taker);
        entriesWritten += merge.output().remaining() - before;
      }
    }
    finishMerges(true);
    return dropped;
  }

  /** After polls: ends the merges whose inputs the polls used up (no new merge starts here). */
  void afterPolls() throws IOException {
    if (inputsDrained) {
      inputsDrained = false;
      finishMerges(false);
    }
  }

  /** The run whose head comes first (the older run on a tie), or null. No I/O. */
  @Nullable RunFile first() {
    @Nullable RunFile best = null;
    for (RunFile run : runs) {
      if (run.hasHead() && (best == null || run.headDeadline() < best.headDeadline())) {
        best = run;
      }
    }
    return best;
  }

  /** Moves past a run's head; deletes the run once it is consumed and complete. */
  void takeHead(RunFile run) throws IOException {
    run.advance();
    if (!run.hasHead() && !run.building) {
      runs.remove(run);
      run.delete();
      inputsDrained |= run.merging;
    }
  }

  int runCount() {
    return runs.size();
  }

  int mergeCount() {
    return merges.size();
  }

  int levels() {
    int levels = 0;
    for (RunFile run : runs) {
      levels = Math.max(levels, run.level() + 1);
    }
    return levels;
  }

  long spillCount() {
    return spills;
  }

  long entriesWritten() {
    return entriesWritten;
  }

  /**
   * Deletes every run file, leftovers included, and, if asked, the directory when it is left
   * empty.
   *
   * @throws UncheckedIOException if a file cannot be deleted (the runs are gone regardless)
   */
  void deleteAll(boolean directoryToo) {
    @Nullable IOException failure = null;
    for (RunFile run : runs) {
      try {
        run.delete();
      } catch (IOException e) {
        failure = addTo(failure, e);
      }
    }
    runs.clear();
    merges.clear();
    try {
      deleteLeftovers();
      if (directoryToo && Files.isDirectory(dir)) {
        Files.delete(dir);
      }
    } catch (DirectoryNotEmptyException e) {
      // files that are not ours: the directory is the owner's to remove
    } catch (IOException e) {
      failure = addTo(failure, e);
    }
    if (failure != null) {
      throw new UncheckedIOException("cannot delete the run files in " + dir, failure);
    }
  }

  /**
   * Ends the merges whose inputs are all consumed (by the merge or by polls); an output left empty
   * is deleted. Then, if asked, starts the merges that became due.
   */
  private void finishMerges(boolean thenStart) throws IOException {
    boolean finished = false;
    for (int i = 0; i < merges.size(); ) {
      RunMerge merge = merges.get(i);
      if (!merge.done()) {
        i++;
        continue;
      }
      merges.remove(i);
      RunFile output = merge.output();
      output.finishBuilding();
      if (!output.hasHead()) {
        runs.remove(output);
        output.delete();
      }
      finished = true;
    }
    if (finished && thenStart) {
      startMerges();
    }
  }

  /** Starts a merge of every idle run of a level that has {@value DeadlineIndex#MERGE_FANIN}. */
  private void startMerges() throws IOException {
    int levels = levels();
    for (int level = 0; level < levels; level++) {
      if (mergingLevel(level)) {
        continue;
      }
      List<RunFile> idle = new ArrayList<>();
      for (RunFile run : runs) {
        if (run.level() == level && !run.merging && !run.building) {
          idle.add(run);
        }
      }
      if (idle.size() >= DeadlineIndex.MERGE_FANIN) {
        RunFile first = idle.getFirst();
        int at = runs.indexOf(first);
        assert runs.subList(at, at + idle.size()).equals(idle) : "runs of a level not adjacent";
        RunFile output =
            RunFile.create(nextRunPath(), first.rank() - 1, level + 1, RunFile.BUFFER_BYTES);
        runs.add(at, output);
        merges.add(new RunMerge(idle, output));
      }
    }
  }

  private boolean mergingLevel(int level) {
    for (RunMerge merge : merges) {
      if (merge.inputLevel() == level) {
        return true;
      }
    }
    return false;
  }

  /**
   * A run's rank: by the first spill its entries come from (older first), then, for the output of
   * a merge and its oldest input which share that spill, the output first. A merge output's rank is
   * its first input's minus one; levels stay below 64.
   */
  private static long rank(long spill, int level) {
    return spill * 64 + (63 - level);
  }

  private Path nextRunPath() {
    return dir.resolve(RUN_PREFIX + String.format("%010d", nextRunId++));
  }

  private void prepareDirectory() throws IOException {
    if (!dirReady) {
      Files.createDirectories(dir);
      deleteLeftovers();
      dirReady = true;
    }
  }

  private void deleteLeftovers() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, RUN_PREFIX + "*")) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    }
  }

  private static IOException addTo(@Nullable IOException first, IOException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }
}
