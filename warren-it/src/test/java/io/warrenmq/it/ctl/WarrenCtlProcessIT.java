package io.warrenmq.it.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ChildProcess;
import io.warrenmq.it.support.WarrenctlScript;
import java.time.Duration;
import java.util.List;
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

  @Test
  void helpListsTheGlobalOptionsAndEveryCommandWithoutABroker() throws Exception {
    WarrenctlScript.Result r = WarrenctlScript.runBare("--help");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("--data-dir <dir>", "WARREN_DATA_DIR", "--socket <path>", "WARREN_CTL_SOCKET",
        "-p, --vhost <vhost>", "-q, --quiet", "-s, --silent");
    for (String verb : List.of("status", "environment", "set_vm_memory_high_watermark", "set_disk_free_limit",
        "list_vhosts", "add_vhost", "delete_vhost", "list_users", "add_user", "delete_user", "change_password",
        "set_user_tags", "authenticate_user", "set_permissions", "clear_permissions", "list_permissions",
        "list_user_permissions", "set_topic_permissions", "clear_topic_permissions", "list_topic_permissions",
        "list_user_topic_permissions", "list_queues", "list_exchanges", "list_bindings", "list_connections",
        "list_channels", "list_consumers", "close_connection", "close_all_connections", "purge_queue",
        "delete_queue", "peek", "set_policy", "clear_policy", "list_policies", "set_operator_policy",
        "clear_operator_policy", "list_operator_policies")) {
      assertThat(r.out()).as(verb).containsPattern("(?m)^  (.*[ |])?" + verb + "( |$)");
    }
  }

  @Test
  void policyVerbsHaveRabbitmqctlsColumnsAndErrors() throws Exception {
    ok("set_policy", "--priority", "5", "proc-high", "^high\\.", "{\"max-length\":10}");
    ok("set_policy", "--priority", "1", "--apply-to", "queues", "proc-low", "^low\\.", "{\"message-ttl\":1000}");
    WarrenctlScript.Result list = ok("list_policies");
    assertThat(list.out().lines().findFirst().orElseThrow()).isEqualTo("Listing policies for vhost \"/\" ...");
    assertThat(list.header()).containsExactly("vhost", "name", "pattern", "apply-to", "definition", "priority");
    // rabbit_policy sorts by priority, lowest first
    assertThat(list.rows()).containsExactly(List.of("/", "proc-low", "^low\\.", "queues", "{\"message-ttl\":1000}", "1"),
        List.of("/", "proc-high", "^high\\.", "all", "{\"max-length\":10}", "5"));
    assertThat(ok("clear_policy", "proc-high").out()).isEqualTo("Clearing policy \"proc-high\" on vhost \"/\" ...\n");
    WarrenctlScript.Result missing = WarrenctlScript.run(broker, "clear_policy", "proc-high");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).endsWith("Error: Parameter does not exist\n");

    ok("set_operator_policy", "proc-op", "^op\\.", "{\"max-length\":5}");
    WarrenctlScript.Result ops = ok("list_operator_policies");
    assertThat(ops.out().lines().findFirst().orElseThrow())
        .isEqualTo("Listing operator policy overrides for vhost \"/\" ...");
    assertThat(ops.rows()).containsExactly(List.of("/", "proc-op", "^op\\.", "all", "{\"max-length\":5}", "0"));
    assertThat(ok("list_policies").rows()).extracting(r -> r.get(1)).containsExactly("proc-low");
    ok("clear_operator_policy", "proc-op");
    assertThat(ok("list_operator_policies").rows()).isEmpty();
    ok("clear_policy", "proc-low");
  }

  private static WarrenctlScript.Result ok(String... args) throws Exception {
    WarrenctlScript.Result r = WarrenctlScript.run(broker, args);
    assertThat(r.code()).as("warrenctl %s: %s%s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }
}
