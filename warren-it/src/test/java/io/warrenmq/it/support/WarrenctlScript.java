package io.warrenmq.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code bin/warrenctl} script (bash, bin/java-home, the shaded jar) against a test
 * broker's data directory, as an operator would, keeping standard output and error apart.
 */
public final class WarrenctlScript {
  private WarrenctlScript() {}

  /** One run: exit code, standard output, standard error. */
  public record Result(int code, String out, String err) {
    /** The data rows of a table: banner lines ("Listing ...", "Closing ...") and the header row dropped. */
    public List<List<String>> rows() {
      List<String> lines = out.lines().toList();
      int first = 0;
      while (first < lines.size() && lines.get(first).endsWith("...")) {
        first++;
      }
      List<List<String>> rows = new ArrayList<>();
      for (String l : lines.subList(Math.min(first + 1, lines.size()), lines.size())) {
        rows.add(Arrays.asList(l.split("\t", -1)));
      }
      return rows;
    }

    /** The header row of a table (after the banner). */
    public List<String> header() {
      return out.lines().filter(l -> !l.endsWith("...")).findFirst().map(l -> Arrays.asList(l.split("\t", -1)))
          .orElse(List.of());
    }
  }

  /** The repository's bin/warrenctl (next to warren-server/target/warren.jar). */
  public static Path script() {
    Path jar = Path.of(System.getProperty("warren.jar"));
    return jar.toAbsolutePath().getParent().getParent().getParent().resolve("bin").resolve("warrenctl");
  }

  /** {@code bin/warrenctl --data-dir DIR args...}. */
  public static Result run(BrokerExtension broker, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", script().toString(), "--data-dir", broker.dataDir().toString()));
    cmd.addAll(List.of(args));
    return exec(cmd);
  }

  /** {@code bin/warrenctl args...} with no data directory given. */
  public static Result runBare(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", script().toString()));
    cmd.addAll(List.of(args));
    return exec(cmd);
  }

  private static Result exec(List<String> cmd) throws IOException, InterruptedException {
    Path err = Files.createTempFile("warrenctl-err", ".txt");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
      // the JDK running the tests, for bin/java-home
      String java = System.getProperty("warren.java");
      if (java != null) {
        pb.environment().put("JAVA_HOME", Path.of(java).getParent().getParent().toString());
      }
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("bin/warrenctl did not end: " + cmd);
      }
      return new Result(p.exitValue(), out, Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
