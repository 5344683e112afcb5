package io.warrenmq.broker.queue;

import io.warrenmq.store.index.DeadlineIndex;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Retry with back-off for nacked and rejected-with-requeue messages (WarrenMQ's x-retry-delay,
 * x-retry-multiplier, x-retry-max-delay): the message stays taken, its position waits in a
 * {@link DeadlineIndex} until its delay is over, then it is requeued at its original place. After
 * a restart a waiting message is simply ready again.
 *
 * <p>Threading: guarded by the owning queue's lock.
 */
final class Retries {
  private static final int INDEX_MEMORY = 4 * 1024;

  private final QueueStore store;
  private final Path dir;
  private @Nullable DeadlineIndex index;
  private long size;

  Retries(QueueStore store, Path dir) {
    this.store = store;
    this.dir = dir;
  }

  void delay(long pos, long until) throws IOException {
    DeadlineIndex i = index;
    if (i == null) {
      i = new DeadlineIndex(dir.resolve("retry-index"), INDEX_MEMORY, (d, p) -> store.isTaken(p));
      index = i;
    }
    i.add(until, pos);
    size++;
  }

  /** 0 if nothing waits. */
  long nextDeadline() {
    if (index == null || size == 0) {
      return 0;
    }
    long d = index.nextDeadline();
    return d == Long.MAX_VALUE ? 0 : d;
  }

  /** Requeues every message whose back-off is over; {@code released} sees each requeued position. */
  void releaseDue(long now, java.util.function.LongConsumer released) throws IOException {
    if (index == null) {
      return;
    }
    index.pollDue(now, Integer.MAX_VALUE, (deadline, pos) -> {
      if (store.isTaken(pos)) {
        store.requeue(pos);
        released.accept(pos);
      }
      size--;
    });
  }

  long size() {
    return size;
  }

  void close() {
    if (index != null) {
      index.close();
    }
  }
}
