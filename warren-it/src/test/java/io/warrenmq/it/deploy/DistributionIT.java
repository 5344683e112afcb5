package io.warrenmq.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as an operator uses it: unpacked, started with bin/warren and a config
 * file (its logging keys included), administered with bin/warrenctl, stopped with SIGTERM.
 */
class DistributionIT {
  @TempDir static Path tmp;
  static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("warren.dist"));
    assertThat(archive).as("built by warren-server's package phase").exists();
    Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", tmp.toString()).inheritIO().start();
    assertThat(tar.waitFor()).isZero();
    try (var dirs = Files.list(tmp)) {
      home = dirs.filter(d -> d.getFileName().toString().startsWith("warren-")).findFirst().orElseThrow();
    }
  }

  @Test
  void theArchiveHoldsWhatAnOperatorNeeds() {
    for (String f : List.of("bin/warren", "bin/warrenctl", "lib/warren.jar", "conf/warren.conf",
        "systemd/warren.service", "Dockerfile", "docker/warren.conf", "docs/deployment.md", "README.md")) {
      assertThat(home.resolve(f)).as(f).exists();
    }
    assertThat(Files.isExecutable(home.resolve("bin/warren"))).isTrue();
    assertThat(Files.isExecutable(home.resolve("bin/warrenctl"))).isTrue();
  }

  @Test
  void startsFromItsConfigLogsJsonLinesAndStopsGracefully() throws Exception {
    int port = BrokerProcess.freePort();
    Path data = tmp.resolve("data");
    Path conf = tmp.resolve("warren.conf");
    Files.writeString(conf, String.join("\n",
        "bind = 127.0.0.1", "port = " + port, "data_dir = " + data, "management.tcp.port = 0",
        "prometheus.tcp.port = 0", "log.dir = " + tmp.resolve("log"), "log.file = warren.log",
        "log.file.formatter = json", "log.console.level = none", ""));
    Process broker = start("bin/warren", "--config", conf.toString());
    try {
      awaitPort(broker, port);
      ConnectionFactory f = new ConnectionFactory();
      f.setPort(port);
      try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
        ch.queueDeclare("dist-q", true, false, false, null);
        ch.basicPublish("", "dist-q", null, "from the archive".getBytes(StandardCharsets.UTF_8));
        GetResponse got = null;
        for (int i = 0; i < 50 && got == null; i++) {
          got = ch.basicGet("dist-q", true);
        }
        assertThat(got).isNotNull();
        assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("from the archive");
      }
      Process ctl = start("bin/warrenctl", "--data-dir", data.toString(), "list_queues");
      assertThat(ctl.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("dist-q");
      assertThat(ctl.exitValue()).isZero();
    } finally {
      broker.destroy(); // SIGTERM
      assertThat(broker.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(broker.exitValue()).as("graceful stop").isZero();
    assertThat(Files.readString(tmp.resolve("bin-warren.out")))
        .as("log.console.level = none").doesNotContain("starting");

    List<JsonNode> lines = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(tmp.resolve("log/warren.log"))) {
      JsonNode n = json.readTree(line); // every line one JSON object
      assertThat(n.has("time") && n.has("level") && n.has("msg")).as(line).isTrue();
      lines.add(n);
    }
    assertThat(lines).anySatisfy(l -> assertThat(l.get("msg").asText()).contains("starting"));
    assertThat(lines).anySatisfy(l -> assertThat(l.get("msg").asText()).isEqualTo("stopped"));
    assertThat(lines).allSatisfy(l -> assertThat(l.get("level").asText()).isIn("debug", "info", "warning", "error"));
  }

  @Test
  void aBadConfigLineStopsTheStartNamingIt() throws Exception {
    Path conf = tmp.resolve("bad.conf");
    Files.writeString(conf, "port = 5672\nlog.console.formatter = yaml\n");
    Process broker = start("bin/warren", "--config", conf.toString());
    assertThat(broker.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(broker.exitValue()).isEqualTo(2);
    assertThat(Files.readString(tmp.resolve("bin-warren.out")))
        .contains("log.console.formatter").contains("plaintext or json").contains("yaml");
  }

  private static Process start(String... cmd) throws IOException {
    List<String> full = new ArrayList<>(List.of(cmd));
    full.set(0, home.resolve(cmd[0]).toString());
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    if (cmd[0].equals("bin/warren")) {
      pb.redirectOutput(tmp.resolve("bin-warren.out").toFile());
    }
    // the build's Java (the launcher would find a Java 25 by itself; the test pins the one it runs on)
    pb.environment().put("JAVA_HOME", Path.of(System.getProperty("warren.java")).getParent().getParent().toString());
    pb.environment().put("WARREN_JVM_OPTS", "-Xmx128m -XX:+UseSerialGC");
    return pb.start();
  }

  private static void awaitPort(Process broker, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(broker.isAlive()).as("broker running").isTrue();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("broker did not listen on " + port);
  }
}
