package io.warrenmq.store.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class BlockingGuardTest {

  @Test
  void anEventLoopThreadIsRefused() throws InterruptedException {
    assertThat(runOn(new FastThreadLocalThread(BlockingGuard::checkNotOnEventLoop)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("event loop");
  }

  @Test
  void aNettyThreadThatPermitsBlockingPasses() throws InterruptedException {
    Thread t =
        new FastThreadLocalThread(BlockingGuard::checkNotOnEventLoop) {
          @Override
          public boolean permitBlockingCalls() {
            return true;
          }
        };
    assertThat(runOn(t)).isNull();
  }

  @Test
  void aPlainThreadPasses() {
    BlockingGuard.checkNotOnEventLoop();
  }

  private static @Nullable Throwable runOn(Thread t) throws InterruptedException {
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
    t.start();
    t.join();
    return failure.get();
  }
}
