package io.warrenmq.store.index;

import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One incremental merge of a {@link DeadlineIndex}: the runs of one level (adjacent in age) merged
 * into one run of the next level, a chunk at a time, so that no single call pays for a whole
 * merge. The output holds the smallest entries of the group so far and ranks just before the
 * inputs: while the merge runs, the index reads from the output and the inputs side by side and
 * still sees the group in order.
 *
 * <p>Not thread-safe: confined to the index's owner.
 */
final class RunMerge {

  /** Takes the head of an input run (deleting the run once it is empty). */
  @FunctionalInterface
  interface HeadTaker {
    void take(RunFile run) throws IOException;
  }

  private final List<RunFile> inputs;
  private final RunFile output;
  private int credit;

  /** @param inputs the runs to merge, oldest first; the list is this merge's from now on */
  RunMerge(List<RunFile> inputs, RunFile output) {
    this.inputs = inputs;
    this.output = output;
    for (RunFile in : inputs) {
      in.merging = true;
    }
  }

  RunFile output() {
    return output;
  }

  /** The level of the runs being merged. */
  int inputLevel() {
    return output.level() - 1;
  }

  /** Earns merge work; returns whether a chunk of {@code chunk} entries is due. */
  boolean earn(int amount, int chunk) {
    credit += amount;
    if (credit < chunk) {
      return false;
    }
    credit -= chunk;
    return true;
  }

  /**
   * Moves up to {@code max} entries from the inputs to the output in order (ties to the older
   * input), dropping those {@code filter} does not keep, and publishes them.
   *
   * @return how many were dropped
   */
  int step(int max, DeadlineFilter filter, HeadTaker taker) throws IOException {
    int dropped = 0;
    for (int moved = 0; moved < max; moved++) {
      @Nullable RunFile best = null;
      for (int i = 0; i < inputs.size(); ) {
        RunFile in = inputs.get(i);
        if (!in.hasHead()) { // emptied, by this merge or by polls, and deleted
          inputs.remove(i);
          continue;
        }
        if (best == null || in.headDeadline() < best.headDeadline()) {
          best = in;
        }
        i++;
      }
      if (best == null) {
        break;
      }
      long deadline = best.headDeadline();
      long value = best.headValue();
      taker.take(best);
      if (filter.keep(deadline, value)) {
        output.append(deadline, value);
      } else {
        dropped++;
      }
    }
    output.publish();
    return dropped;
  }

  /** Whether every input is consumed (here or by polls): the output is complete. */
  boolean done() {
    inputs.removeIf(in -> !in.hasHead());
    return inputs.isEmpty();
  }
}
