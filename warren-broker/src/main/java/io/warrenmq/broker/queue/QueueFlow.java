package io.warrenmq.broker.queue;

import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * A queue's per-queue back-pressure, in the spirit of RabbitMQ's credit flow: whether the queue is
 * <em>behind</em> (it holds a backlog its consumers cannot take because their connections cannot
 * keep up), and the publishers waiting for it to catch up. The {@link Dispatcher} decides, under
 * the queue's lock: behind from {@link #BEHIND_HIGH} ready messages while no consumer can take one
 * for its connection; caught up at {@link #BEHIND_LOW}, or when the queue loses its consumers, is
 * purged or deleted. Consumers waiting for acks never make a queue behind.
 *
 * <p>Threading: {@link #behind} and {@link #awaitCaughtUp} from any thread (publishers' event
 * loops); {@link #fellBehind} and {@link #caughtUp} under the owning queue's lock.
 */
public final class QueueFlow {
  /** The gate of a queue that never slows its publishers. */
  public static final QueueFlow NEVER = new QueueFlow();
  /** Ready messages from which consumers that cannot keep up make the queue behind. */
  static final long BEHIND_HIGH = 65_536;
  /** Ready messages at which a queue that was behind has caught up: publishers go on. */
  static final long BEHIND_LOW = 16_384;

  /** Written on change only. */
  private volatile boolean behind;
  /** Wake-ups of paused publishers; allocated when the queue first falls behind. */
  private volatile @Nullable ConcurrentLinkedQueue<Runnable> waiters;

  /** Whether publishers to the queue are to stop reading; a volatile read. */
  public boolean behind() {
    return behind;
  }

  /**
   * Registers {@code wake} to run once the queue has caught up, if it is behind now (true); false,
   * registering nothing, if it is not. {@code wake} runs under the queue's lock and must only hand
   * work to another thread.
   */
  public boolean awaitCaughtUp(Runnable wake) {
    ConcurrentLinkedQueue<Runnable> w = waiters;
    if (!behind || w == null) {
      return false;
    }
    w.add(wake);
    // caught up meanwhile: either the catch-up took wake (it runs) or it is still ours to take back
    return behind || !w.remove(wake);
  }

  /** The publishers are to pause (under the owner's lock). */
  public void fellBehind() {
    if (waiters == null) {
      waiters = new ConcurrentLinkedQueue<>();
    }
    behind = true;
  }

  /** The publishers go on (under the owner's lock). */
  public void caughtUp() {
    if (!behind) {
      return;
    }
    behind = false;
    ConcurrentLinkedQueue<Runnable> w = waiters;
    Runnable r;
    while (w != null && (r = w.poll()) != null) {
      r.run();
    }
  }
}
