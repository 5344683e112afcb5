package io.warrenmq.it.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.server.ctl.WarrenCtl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** warrenctl against the test broker's control socket, as an operator would run it. */
final class Ctl {
  private Ctl() {}

  /** Runs {@code warrenctl args...}; fails unless it exits 0; returns its standard output. */
  static String ok(BrokerExtension broker, String... args) {
    List<String> argv = new ArrayList<>(List.of("--socket", broker.dataDir().resolve("warren.sock").toString()));
    argv.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = WarrenCtl.run(argv.toArray(String[]::new), o, e);
    }
    String stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as("warrenctl %s: %s%s", String.join(" ", args), stdout, err.toString(StandardCharsets.UTF_8))
        .isZero();
    return stdout;
  }
}
