package io.warrenmq.it.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for conditions that become true asynchronously (never a bare sleep). */
public final class Eventually {
  private Eventually() {}

  /** Polls {@code condition} every 10 ms until it holds or {@code timeout} passes; then fails. */
  public static void eventually(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what, e);
      }
    }
  }

  /** {@link #eventually(Duration, String, BooleanSupplier)} with 15 s. */
  public static void eventually(String what, BooleanSupplier condition) {
    eventually(Duration.ofSeconds(15), what, condition);
  }
}
