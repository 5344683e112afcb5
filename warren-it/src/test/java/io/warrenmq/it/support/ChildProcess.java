package io.warrenmq.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs a short-lived child process (a Python client, warrenctl, the broker with bad flags) to its end. */
public final class ChildProcess {
  private ChildProcess() {}

  /** How a child process ended: its exit code and what it printed (stdout and stderr merged). */
  public record Result(int exitCode, String output) {}

  /** Runs {@code cmd} with no input; kills it and fails if it outlives {@code timeout}. */
  public static Result run(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    AtomicBoolean killed = new AtomicBoolean();
    Thread watchdog = Thread.ofVirtual().start(() -> {
      try {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          killed.set(true);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the process ended first: stop watching
      }
    });
    // read to the end: it comes when the process exits, or when the watchdog kills it
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    watchdog.interrupt();
    if (killed.get()) {
      throw new AssertionError("killed after " + timeout + ": " + String.join(" ", cmd) + "\n" + out);
    }
    return new Result(p.exitValue(), out);
  }

  /** The java command of the build's JDK and the shaded broker jar (failsafe system properties). */
  public static List<String> java(String... args) {
    String jar = System.getProperty("warren.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("warren.jar not built: " + jar);
    }
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("warren.java", "java"), "-Xshare:auto",
        "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
    for (String a : args) {
      cmd.add(a.equals("@jar") ? jar : a);
    }
    return cmd;
  }
}
