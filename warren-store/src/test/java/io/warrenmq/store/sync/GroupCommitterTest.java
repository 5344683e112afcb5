package io.warrenmq.store.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

  /** A bound against hangs, not a timing assertion. */
  private static final long BOUND_SECONDS = 30;

  /** A target whose first force waits for the gate: requests pile up behind it meanwhile. */
  private static final class GatedTarget implements Syncable {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger forces = new AtomicInteger();

    @Override
    public void force() throws IOException {
      forces.incrementAndGet();
      entered.countDown();
      try {
        if (!gate.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
          throw new IOException("gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  @Test
  void aLoneSubmitIsForcedAndCompletesAtOnce() throws InterruptedException {
    AtomicInteger forces = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    try (GroupCommitter committer = new GroupCommitter("test-commit")) {
      committer.submit(forces::incrementAndGet, done::countDown, e -> {});
      assertThat(done.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(forces).hasValue(1);
    }
  }

  @Test
  void submitsFromSeveralThreadsCompleteInOrderInFewerForcesThanRequests() throws Exception {
    int threads = 4;
    int perThread = 250;
    GatedTarget target = new GatedTarget();
    Queue<int[]> completed = new ConcurrentLinkedQueue<>();
    CountDownLatch all = new CountDownLatch(threads * perThread + 1);
    GroupCommitter committer = new GroupCommitter("test-commit");
    try (committer) {
      committer.submit(target, all::countDown, e -> {});
      assertThat(target.entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
      List<Thread> submitters = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        submitters.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 0; i < perThread; i++) {
                        int seq = i;
                        committer.submit(
                            target,
                            () -> {
                              completed.add(new int[] {id, seq});
                              all.countDown();
                            },
                            e -> {});
                      }
                    }));
      }
      for (Thread t : submitters) {
        t.join();
      }
      target.gate.countDown();
      assertThat(all.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
      int[] next = new int[threads];
      for (int[] c : completed) {
        assertThat(c[1]).as("thread %d's requests complete in order", c[0]).isEqualTo(next[c[0]]++);
      }
      assertThat(next).containsOnly(perThread);
    }
    // after close (which joins the thread) the stats are final
    assertThat(committer.requests()).isEqualTo(threads * perThread + 1);
    assertThat(committer.forces()).isEqualTo(2).isEqualTo(target.forces.get());
    assertThat(committer.batches()).isEqualTo(2);
  }

  @Test
  void aFailingTargetGetsOnFailureAndTheOthersStillSucceed() throws InterruptedException {
    IOException boom = new IOException("disk on fire");
    Syncable bad =
        () -> {
          throw boom;
        };
    Syncable good = () -> {};
    Queue<String> outcomes = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(3);
    try (GroupCommitter committer = new GroupCommitter("test-commit")) {
      committer.submit(bad, () -> outcomes.add("durable 1"), e -> outcomes.add("failed 1: " + e.getMessage()));
      committer.submit(good, () -> outcomes.add("durable 2"), e -> outcomes.add("failed 2"));
      committer.submit(bad, () -> outcomes.add("durable 3"), e -> outcomes.add("failed 3: " + e.getMessage()));
      committer.submit(good, done::countDown, e -> {});
      committer.submit(good, done::countDown, e -> {});
      committer.submit(good, done::countDown, e -> {});
      assertThat(done.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(outcomes)
        .containsExactly("failed 1: disk on fire", "durable 2", "failed 3: disk on fire");
  }

  @Test
  void aTargetThrowingARuntimeExceptionFailsItsRequestsInsteadOfStrandingThem()
      throws InterruptedException {
    Syncable buggy =
        () -> {
          throw new IllegalStateException("bug");
        };
    CountDownLatch failed = new CountDownLatch(1);
    CountDownLatch later = new CountDownLatch(1);
    try (GroupCommitter committer = new GroupCommitter("test-commit")) {
      committer.submit(buggy, () -> {}, e -> failed.countDown());
      committer.submit(() -> {}, later::countDown, e -> {});
      assertThat(failed.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(later.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aThrowingCallbackDoesNotStopTheOthers() throws InterruptedException {
    CountDownLatch after = new CountDownLatch(1);
    try (GroupCommitter committer = new GroupCommitter("test-commit")) {
      committer.submit(
          () -> {},
          () -> {
            throw new IllegalStateException("callback bug (expected in this test)");
          },
          e -> {});
      committer.submit(() -> {}, after::countDown, e -> {});
      assertThat(after.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void closeCompletesThePendingRequestsFirst() throws InterruptedException {
    GatedTarget target = new GatedTarget();
    AtomicInteger completed = new AtomicInteger();
    GroupCommitter committer = new GroupCommitter("test-commit");
    committer.submit(target, completed::incrementAndGet, e -> {});
    assertThat(target.entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 10; i++) {
      committer.submit(target, completed::incrementAndGet, e -> {});
    }
    Thread closer = Thread.ofPlatform().start(committer::close);
    target.gate.countDown();
    closer.join();
    assertThat(completed).hasValue(11);
    assertThat(committer.requests()).isEqualTo(11);
  }

  @Test
  void aSubmitAfterCloseFailsAtOnce() {
    GroupCommitter committer = new GroupCommitter("test-commit");
    committer.close();
    List<IOException> failures = new ArrayList<>();
    committer.submit(() -> {}, () -> {}, failures::add);
    assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("closed"));
  }
}
