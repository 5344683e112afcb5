package io.warrenmq.server;

import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.BrokerOptions;
import io.warrenmq.broker.Compatibility;
import io.warrenmq.broker.alarm.ResourceMonitor;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.definitions.DefinitionFiles;
import io.warrenmq.server.config.BrokerConfig;
import io.warrenmq.cluster.ClusterNode;
import io.warrenmq.server.ctl.CtlCommands;
import io.warrenmq.server.ctl.CtlServer;
import io.warrenmq.server.netty.AmqpServer;
import io.warrenmq.server.tls.TlsContext;
import io.warrenmq.server.tls.TlsContexts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running WarrenMQ: the broker, the AMQP listeners (plain and TLS), the HTTP ones and the
 * control socket, started in that order and stopped in reverse. Several can run in one JVM (tests do).
 */
public final class WarrenServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WarrenServer.class);
  /** How long a graceful stop waits for clients to answer connection.close. */
  private static final long DRAIN_MS = 2000;

  private final BrokerConfig config;
  private final Broker broker;
  private final AmqpServer amqp;
  private final HttpListeners http;
  private final @Nullable CtlServer ctl;
  private final ResourceMonitor monitor;
  private final int port;
  private final TlsContexts tls;
  private final @Nullable ClusterNode cluster;
  private boolean closed;

  private WarrenServer(BrokerConfig config, Broker broker, @Nullable ClusterNode cluster, AmqpServer amqp,
      HttpListeners http, @Nullable CtlServer ctl, ResourceMonitor monitor, int port, TlsContexts tls) {
    this.cluster = cluster;
    this.tls = tls;
    this.config = config;
    this.monitor = monitor;
    this.broker = broker;
    this.amqp = amqp;
    this.ctl = ctl;
    this.http = http;
    this.port = port;
  }

  /** Recovers the data directory, then starts listening. */
  public static WarrenServer start(BrokerConfig config) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    log.info("WarrenMQ {} (RabbitMQ {} compatible) starting on Java {} (pid {})", Version.get(),
        Compatibility.RABBITMQ_VERSION, Runtime.version(), ProcessHandle.current().pid());
    log.info("data directory {}", config.dataDir().toAbsolutePath().normalize());
    BrokerOptions options = new BrokerOptions(config.dataDir(), config.segmentSize(), config.defaultUser(),
        config.defaultPass(), config.defaultVhost(), config.loopbackUsers(), config.nodeName());
    Broker broker = new Broker(options, ByteBufAllocator.DEFAULT);
    broker.users().useBackends(authBackends(config.auth(), broker));
    io.warrenmq.cluster.quorum.QuorumGroups quorum = null;
    if (config.cluster() != null) {
      // before the restore: the quorum queues of the definitions open as such
      quorum = new io.warrenmq.cluster.quorum.QuorumGroups(config.cluster().nodeName(), ByteBufAllocator.DEFAULT);
      broker.setQuorumQueues(quorum);
    }
    try {
      broker.start();
    } catch (IOException | RuntimeException e) {
      closeAfterFailedStart(e, null, null, broker);
      throw e;
    }
    logRecovered(broker);
    ClusterNode cluster = null;
    if (config.cluster() != null) {
      try {
        // before load_definitions: on a cluster node the import goes through the metadata log
        cluster = ClusterNode.start(broker, config.cluster(), WarrenServer::stopForCluster, quorum);
      } catch (IOException | RuntimeException e) {
        closeAfterFailedStart(e, null, null, broker);
        throw e;
      }
    }
    if (!config.loadDefinitions().isEmpty()) {
      try {
        // RabbitMQ imports load_definitions after recovery, before the listeners start
        DefinitionFiles.load(broker, java.nio.file.Path.of(config.loadDefinitions()));
      } catch (IOException | RuntimeException e) {
        closeAfterFailedStart(e, null, null, broker);
        throw e;
      }
    }
    TlsContexts tls;
    try {
      // a bad certificate or key stops the start before any port opens, naming its key
      tls = TlsContexts.load(config.tls());
    } catch (RuntimeException e) {
      closeAfterFailedStart(e, null, null, broker);
      throw e;
    }
    broker.connectionLimits().setNodeMax(config.connectionMax());
    broker.resourceLimits().setMemoryHighWatermark(config.memoryWatermark());
    broker.resourceLimits().setDiskFreeLimit(config.diskFreeLimit());
    // the alarms are checked before the port opens: a broker that starts low on memory or disk
    // blocks its first publishers, as RabbitMQ's
    ResourceMonitor monitor = ResourceMonitor.start(broker.resourceLimits(), broker.alarms(), config.dataDir(),
        config.memoryMonitorIntervalMs());
    AmqpServer amqp = new AmqpServer(config, broker, tls.amqp());
    // the control socket comes up before the AMQP port opens: once clients can connect,
    // warrenctl works too (scripts wait for the port, then administer)
    List<String> httpNames = new ArrayList<>();
    CtlServer ctl = startControlSocket(config, new CtlCommands(broker, cluster, () -> String.format(
        "WarrenMQ %s%nRabbitMQ compatibility: %s%namqp: %s (%s)%n%s%sdata directory: %s%n", Version.get(),
        Compatibility.RABBITMQ_VERSION, String.join(", ", amqp.listeners()), amqp.transport(),
        amqp.tlsListeners().isEmpty() ? "" : "amqps: " + String.join(", ", amqp.tlsListeners()) + " ("
            + TlsContext.provider() + ")\n",
        httpNames.stream().map(n -> n + "\n").collect(Collectors.joining()), config.dataDir().toAbsolutePath().normalize())));
    int port;
    HttpListeners http;
    try {
      port = amqp.start();
      http = HttpListeners.start(config, broker, amqp, tls);
    } catch (Exception e) {
      // Netty's bind throws the socket's BindException undeclared: catch it too, or the data
      // directory stays locked and the broker's threads run on in this JVM
      monitor.close();
      tls.close();
      closeAfterFailedStart(e, ctl, amqp, broker);
      throw e;
    }
    httpNames.addAll(http.names());
    log.info("AMQP listening on {} ({}), frame_max {}, channel_max {}, heartbeat {} s",
        amqp.listeners().isEmpty() ? "no plain port (listeners.tcp = none)" : String.join(", ", amqp.listeners()),
        amqp.transport(), config.frameMax(), config.channelMax(), config.heartbeat());
    if (!amqp.tlsListeners().isEmpty()) {
      log.info("AMQPS listening on {} (TLS provider {})", String.join(", ", amqp.tlsListeners()), TlsContext.provider());
    }
    log.info("started in {} ms (JVM up {} ms)", (System.nanoTime() - t0) / 1_000_000,
        ManagementFactory.getRuntimeMXBean().getUptime());
    return new WarrenServer(config, broker, cluster, amqp, http, ctl, monitor, port, tls);
  }

  /**
   * The cluster says this node may not run in it (its version lacks a feature flag the cluster
   * enabled): the process stops, gracefully, with status 1 (the shutdown hook's stop).
   */
  private static void stopForCluster(String why) {
    log.error("stopping: {}", why);
    refusedByCluster = true;
    Thread.ofPlatform().name("warren-cluster-stop").start(() -> System.exit(1));
  }

  private static volatile boolean refusedByCluster;

  /** Whether the cluster stopped this node (the process then exits with 1 after its graceful stop). */
  public static boolean refusedByCluster() {
    return refusedByCluster;
  }

  /** The auth_backends chain, in its configured order. */
  private static List<io.warrenmq.broker.auth.AuthBackend> authBackends(
      io.warrenmq.server.config.AuthConfig auth, Broker broker) {
    List<io.warrenmq.broker.auth.AuthBackend> chain = new ArrayList<>();
    for (String b : auth.backends()) {
      if (b.equals("oauth2") && auth.oauth2() != null) {
        chain.add(new io.warrenmq.broker.auth.oauth2.OAuth2Backend(auth.oauth2(), java.time.Clock.systemUTC()));
      } else {
        chain.add(new io.warrenmq.broker.auth.InternalBackend(broker.users()));
      }
    }
    log.info("auth backends: {}", String.join(", ", auth.backends()));
    return chain;
  }

  private static @Nullable CtlServer startControlSocket(BrokerConfig config, CtlCommands commands) {
    try {
      CtlServer ctl = new CtlServer(config.ctlSocket(), commands);
      log.info("control socket {}", config.ctlSocket().toAbsolutePath().normalize());
      return ctl;
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("no control socket at {} (warrenctl will not reach this broker): {}", config.ctlSocket(), e.toString());
      return null;
    }
  }

  /** Gives back what a failed start took (listener threads, stores, the data directory lock). */
  private static void closeAfterFailedStart(
      Exception failure, @Nullable CtlServer ctl, @Nullable AmqpServer amqp, Broker broker) {
    try {
      if (ctl != null) {
        ctl.close();
      }
      if (amqp != null) {
        amqp.close();
      }
      broker.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static void logRecovered(Broker broker) {
    long queues = 0;
    long messages = 0;
    for (VirtualHost vh : broker.vhosts()) {
      for (Queue q : vh.queues()) {
        queues++;
        messages += q.messageCount();
      }
    }
    log.info("recovered {} vhosts, {} durable queues, {} messages", broker.vhosts().size(), queues, messages);
  }

  public int port() {
    return port;
  }

  /** The management API's port, 0 if it is off. */
  public int managementPort() {
    return http.managementPort();
  }

  /** The Prometheus endpoint's port, 0 if it is off. */
  public int prometheusPort() {
    return http.prometheusPort();
  }

  /** The first AMQPS port, 0 if there is no AMQPS listener. */
  public int tlsPort() {
    List<java.net.InetSocketAddress> a = amqp.boundTlsAddresses();
    return a.isEmpty() ? 0 : a.getFirst().getPort();
  }

  /** The HTTPS management listener's port, 0 if it is off. */
  public int managementSslPort() {
    return http.managementSslPort();
  }

  /** The HTTPS Prometheus listener's port, 0 if it is off. */
  public int prometheusSslPort() {
    return http.prometheusSslPort();
  }

  /**
   * Reads the TLS certificate and key files again (SIGHUP): new handshakes use them, connections
   * already up keep theirs. A file that does not load is logged and the old certificate stays.
   *
   * @return how many listener kinds took new files
   */
  public int reloadCertificates() {
    return tls.reload();
  }

  public Broker broker() {
    return broker;
  }

  /** This node's part in the cluster, or null for a single node. */
  public @Nullable ClusterNode cluster() {
    return cluster;
  }

  public BrokerConfig config() {
    return config;
  }

  /**
   * Graceful stop: no new connections, every client gets connection.close 320 CONNECTION_FORCED,
   * then the stores are forced to disk and closed.
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    log.info("stopping: closing {} connections", broker.connections().size());
    http.close();
    tls.close();
    amqp.stopAccepting();
    // RabbitMQ's text when the node stops (rabbit_reader, the parent exits with 'shutdown')
    broker.connections().closeAll("broker forced connection closure with reason 'shutdown'");
    long deadline = System.nanoTime() + DRAIN_MS * 1_000_000;
    while (broker.connections().size() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    amqp.close();
    if (ctl != null) {
      ctl.close();
    }
    monitor.close();
    if (cluster != null) {
      cluster.close();
    }
    broker.close();
    log.info("stopped");
  }
}
