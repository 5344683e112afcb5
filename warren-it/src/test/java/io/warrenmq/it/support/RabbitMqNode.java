package io.warrenmq.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private RabbitMQ node (Debian's rabbitmq-server, 3.10.8 here) with the management plugin, for
 * tests that check WarrenMQ against the real thing: its own free ports (AMQP, Erlang
 * distribution, management), files under a temporary directory, started once and stopped by its
 * pid, as bench/rabbitmq.sh runs one. {@link #installed()} says whether the tests can run.
 */
public final class RabbitMqNode implements AutoCloseable {
  private static final Path SBIN = Path.of("/usr/lib/rabbitmq/bin");

  private final Path base;
  private final Map<String, String> env = new HashMap<>();
  private final int managementPort;
  private long pid;

  private RabbitMqNode(Path base, int amqpPort, int distPort, int managementPort) {
    this.base = base;
    this.managementPort = managementPort;
    env.put("HOME", base.resolve("home").toString());
    env.put("RABBITMQ_NODENAME", "wit" + ProcessHandle.current().pid() + "@localhost");
    env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_NODE_PORT", Integer.toString(amqpPort));
    env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
    env.put("RABBITMQ_MNESIA_BASE", base.resolve("mnesia").toString());
    env.put("RABBITMQ_LOG_BASE", base.resolve("log").toString());
    env.put("RABBITMQ_CONFIG_FILE", base.resolve("rabbitmq.conf").toString());
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", base.resolve("enabled_plugins").toString());
    env.put("RABBITMQ_PID_FILE", base.resolve("node.pid").toString());
    env.put("RABBITMQ_ADVANCED_CONFIG_FILE", base.resolve("advanced.config").toString());
    env.put("RABBITMQ_CONF_ENV_FILE", base.resolve("rabbitmq-env.conf").toString());
    env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
  }

  /** Whether Debian's rabbitmq-server is installed. */
  public static boolean installed() {
    return Files.isExecutable(SBIN.resolve("rabbitmq-server"));
  }

  /** Starts a node and waits until its management API answers. */
  public static RabbitMqNode start() throws IOException, InterruptedException {
    Path base = Files.createTempDirectory("warren-it-rabbitmq-");
    RabbitMqNode n = new RabbitMqNode(base, BrokerProcess.freePort(), BrokerProcess.freePort(), BrokerProcess.freePort());
    n.boot();
    return n;
  }

  private void boot() throws IOException, InterruptedException {
    for (String d : List.of("home", "mnesia", "log")) {
      Files.createDirectories(base.resolve(d));
    }
    byte[] cookie = new byte[20];
    new java.security.SecureRandom().nextBytes(cookie);
    Path cookieFile = base.resolve("home/.erlang.cookie");
    Files.writeString(cookieFile, HexFormat.of().formatHex(cookie));
    Files.setPosixFilePermissions(cookieFile, PosixFilePermissions.fromString("r--------"));
    Files.writeString(base.resolve("rabbitmq.conf"), "listeners.tcp.default = 127.0.0.1:" + env.get("RABBITMQ_NODE_PORT")
        + "\nloopback_users.guest = true\nlog.file.level = warning\nlog.console = false\n"
        + "management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = " + managementPort + "\n");
    Files.writeString(base.resolve("advanced.config"), "[].");
    Files.writeString(base.resolve("rabbitmq-env.conf"), "");
    Files.writeString(base.resolve("enabled_plugins"), "[rabbitmq_management].");
    ProcessBuilder pb = new ProcessBuilder(SBIN.resolve("rabbitmq-server").toString())
        .redirectErrorStream(true).redirectOutput(base.resolve("server.out").toFile());
    pb.environment().putAll(env);
    pb.start();
    run(Duration.ofSeconds(90), "wait", "--timeout", "60", env.get("RABBITMQ_PID_FILE"));
    pid = Long.parseLong(Files.readString(Path.of(env.get("RABBITMQ_PID_FILE"))).strip());
    ManagementHttp http = http();
    Eventually.eventually(Duration.ofSeconds(30), "the RabbitMQ management API answers",
        () -> http.get("/api/overview").status() == 200);
  }

  /** Runs rabbitmqctl against the node; returns its standard output, failing on a non-zero exit. */
  public String run(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(SBIN.resolve("rabbitmqctl").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("rabbitmqctl " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  /** guest/guest on the node's management port. */
  public ManagementHttp http() {
    return new ManagementHttp("127.0.0.1", managementPort, "guest", "guest");
  }

  /** Stops the node by its pid and removes its files. */
  @Override
  public void close() throws IOException {
    if (pid > 0) {
      ProcessHandle.of(pid).ifPresent(h -> {
        h.destroy();
        h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> {
          h.destroyForcibly();
          return h;
        }).join();
      });
      pid = 0;
    }
    BrokerExtension.deleteRecursively(base);
  }
}
