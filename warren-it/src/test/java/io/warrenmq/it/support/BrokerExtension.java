package io.warrenmq.it.support;

import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.server.WarrenServer;
import io.warrenmq.server.config.BrokerConfig;
import io.warrenmq.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real WarrenMQ (Netty listener on an ephemeral loopback port, files in a fresh temporary
 * data directory) once per test class and stops it afterwards. Register it as a static field:
 *
 * <pre>
 *   &#64;RegisterExtension static final BrokerExtension broker = new BrokerExtension();
 * </pre>
 *
 * Extra configuration keys (as on the command line, without dashes) may be passed in. The
 * management HTTP listener is off unless the broker is made with {@link #withManagement()}, which
 * gives it a free port of its own, and so is the Prometheus endpoint unless {@link
 * #withPrometheus()} (e.g. {@code new BrokerExtension().withPrometheus()}).
 */
public final class BrokerExtension implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> settings;
  private final boolean management;
  private boolean prometheus;
  private WarrenServer server;
  private Path dataDir;
  /** The class context that started the broker; @Nested classes inside it share the broker. */
  private String owner;

  public BrokerExtension() {
    this(Map.of());
  }

  public BrokerExtension(Map<String, String> settings) {
    this(settings, false);
  }

  private BrokerExtension(Map<String, String> settings, boolean management) {
    this.settings = settings;
    this.management = management;
  }

  /** A broker with the management API on a free loopback port ({@link #managementPort()}). */
  public static BrokerExtension withManagement() {
    return new BrokerExtension(Map.of(), true);
  }

  /** The same, with extra configuration keys. */
  public static BrokerExtension withManagement(Map<String, String> settings) {
    return new BrokerExtension(settings, true);
  }

  /** This broker with the Prometheus endpoint on a free loopback port too ({@link #prometheusPort()}). */
  public BrokerExtension withPrometheus() {
    prometheus = true;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (owner != null) {
      return; // a @Nested class of the class that started the broker
    }
    owner = context.getUniqueId();
    dataDir = Files.createTempDirectory("warren-it-");
    start();
  }

  /** Starts (again) on the same data directory. */
  public void start() throws IOException, InterruptedException {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
        "--port", "0", "--bind", "127.0.0.1", "--data-dir", dataDir.toString(),
        "--management-port", management ? Integer.toString(BrokerProcess.freePort()) : "0",
        "--prometheus-port", prometheus ? Integer.toString(BrokerProcess.freePort()) : "0"));
    settings.forEach((k, v) -> {
      args.add("--" + k.replace('_', '-'));
      args.add(v);
    });
    BrokerConfig config = ConfigLoader.load(args.toArray(String[]::new), Map.of());
    server = WarrenServer.start(config);
  }

  /** Graceful stop, keeping the data directory. */
  public void stop() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Graceful stop and start on the same data directory (a new port). */
  public void restart() throws IOException, InterruptedException {
    stop();
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (!context.getUniqueId().equals(owner)) {
      return;
    }
    owner = null;
    stop();
    deleteRecursively(dataDir);
  }

  public int port() {
    return server.port();
  }

  /** The management API's port (0 unless made {@link #withManagement()}). */
  public int managementPort() {
    return server.managementPort();
  }

  /** The first AMQPS port (0 unless listeners.ssl.* is configured). */
  public int tlsPort() {
    return server.tlsPort();
  }

  /** The Prometheus endpoint's port (0 unless made {@link #withPrometheus()}). */
  public int prometheusPort() {
    return server.prometheusPort();
  }

  public WarrenServer server() {
    return server;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** A connection factory for guest/guest on vhost / at this broker. */
  public ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(port());
    f.setUsername("guest");
    f.setPassword("guest");
    f.setAutomaticRecoveryEnabled(false);
    f.setConnectionTimeout(10_000);
    f.setRequestedHeartbeat(0);
    return f;
  }

  static void deleteRecursively(Path p) throws IOException {
    if (p == null || !Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
