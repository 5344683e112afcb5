package io.warrenmq.it.management;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.server.ctl.WarrenCtl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** warrenctl run in this JVM against a test broker's control socket, as an operator runs it. */
final class Warrenctl {
  /** One run: exit code, standard output, standard error. */
  record Run(int code, String out, String err) {}

  private Warrenctl() {}

  static Run run(BrokerExtension broker, String... args) {
    List<String> argv = new ArrayList<>(List.of("--socket", broker.dataDir().resolve("warren.sock").toString()));
    argv.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = WarrenCtl.run(argv.toArray(String[]::new), o, e);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
