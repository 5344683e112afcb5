package io.warrenmq.store.sync;

import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * The guard at the start of every blocking entry point of the store (open, force, close of the
 * committer): a Netty event loop must never block (DESIGN.md, Threads; STYLE 8.8). Netty's event
 * loops run on {@link FastThreadLocalThread}s that do not {@link
 * FastThreadLocalThread#permitBlockingCalls() permit blocking calls}.
 *
 * <p>Static helpers only; thread-safe (stateless).
 */
public final class BlockingGuard {

  private BlockingGuard() {}

  /**
   * @throws IllegalStateException on a Netty thread that does not permit blocking calls
   */
  public static void checkNotOnEventLoop() {
    if (Thread.currentThread() instanceof FastThreadLocalThread t && !t.permitBlockingCalls()) {
      throw new IllegalStateException(
          "blocking store call on event loop thread " + t.getName()
              + ": hand it to a thread that may block");
    }
  }
}
