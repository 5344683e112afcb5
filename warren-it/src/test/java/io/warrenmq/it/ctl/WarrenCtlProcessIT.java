package io.warrenmq.it.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ChildProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * warrenctl as operators run it, a JVM of its own (bin/warrenctl runs the jar's WarrenCtl class,
 * {@code warren ctl} goes through Main): the command's exit code becomes the process's.
 */
class WarrenCtlProcessIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  private static ChildProcess.Result ctl(String... args) throws Exception {
    String[] all = new String[args.length + 5];
    all[0] = "-cp";
    all[1] = "@jar";
    all[2] = "io.warrenmq.server.ctl.WarrenCtl";
    all[3] = "--data-dir";
    all[4] = broker.dataDir().toString();
    System.arraycopy(args, 0, all, 5, args.length);
    return ChildProcess.run(ChildProcess.java(all), Duration.ofSeconds(60));
  }

  @Test
  void theCommandsExitCodeIsTheProcesssExitCode() throws Exception {
    ChildProcess.Result ok = ctl("add_vhost", "proc-vh");
    assertThat(ok.exitCode()).as(ok.output()).isZero();
    assertThat(ctl("list_vhosts").output()).contains("proc-vh");
    ChildProcess.Result error = ctl("add_vhost", "proc-vh");
    assertThat(error.exitCode()).as(error.output()).isEqualTo(1);
    assertThat(error.output()).contains("already exists");
    ChildProcess.Result usage = ctl("frobnicate");
    assertThat(usage.exitCode()).as(usage.output()).isEqualTo(2);
  }

  @Test
  void warrenCtlThroughMainReachesTheBrokerToo() throws Exception {
    ChildProcess.Result r = ChildProcess.run(ChildProcess.java("-jar", "@jar", "ctl", "--socket",
        broker.dataDir().resolve("warren.sock").toString(), "status"), Duration.ofSeconds(60));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("amqp: 127.0.0.1:" + broker.port());
  }

  @Test
  void noBrokerListeningIsExitCodeSixtyNine() throws Exception {
    ChildProcess.Result r = ChildProcess.run(ChildProcess.java("-cp", "@jar", "io.warrenmq.server.ctl.WarrenCtl",
        "--data-dir", broker.dataDir().resolve("elsewhere").toString(), "list_queues"), Duration.ofSeconds(60));
    assertThat(r.exitCode()).as(r.output()).isEqualTo(69);
    assertThat(r.output()).contains("unable to reach the broker");
  }
}
