package io.warrenmq.it.support;

import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A cluster of WarrenMQ processes on 127.0.0.1, each with its own AMQP, management and cluster
 * port (ephemeral ports picked up front) and data directory, formed from the same peer list as
 * {@code bin/warren --cluster-peers} would be given. Nodes are numbered from 1.
 */
public final class ClusterProcesses implements AutoCloseable, org.junit.jupiter.api.extension.BeforeAllCallback,
    org.junit.jupiter.api.extension.AfterAllCallback {
  private final List<BrokerProcess> nodes = new ArrayList<>();
  private final List<Integer> managementPorts = new ArrayList<>();
  private final List<Path> dataDirs = new ArrayList<>();

  private final int initial;
  /** The directory {@link #perClass} made, deleted after the class's tests; null otherwise. */
  private @org.jspecify.annotations.Nullable Path ownDir;

  /**
   * A cluster of {@code count} nodes for one test class ({@code @RegisterExtension static final}):
   * formed before its tests, stopped after them, in a temporary directory of its own.
   */
  public static ClusterProcesses perClass(int count, List<String> extraArgs) {
    try {
      Path dir = java.nio.file.Files.createTempDirectory("warren-cluster-it");
      ClusterProcesses c = new ClusterProcesses(dir, count, extraArgs);
      c.ownDir = dir;
      return c;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
    close();
    Path d = ownDir;
    if (d != null && context.getExecutionException().isEmpty()) { // kept for a look when a test failed
      try (var files = java.nio.file.Files.walk(d)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.deleteIfExists(f);
        }
      }
    }
  }

  /** A client connection to node {@code i}. */
  public com.rabbitmq.client.Connection connect(int i) throws Exception {
    return factory(i).newConnection();
  }

  /** @param extraArgs more flags for every node ({@code --cluster-metadata-timeout 3000}) */
  public ClusterProcesses(Path dir, int count, List<String> extraArgs) throws IOException {
    this(dir, count, count, extraArgs);
  }

  /**
   * A cluster formed by the first {@code initial} of {@code count} nodes; the others are started
   * later ({@link #startLater}) with every node in their peer list, and join the running cluster.
   */
  public ClusterProcesses(Path dir, int count, int initial, List<String> extraArgs) throws IOException {
    this.initial = initial;
    // AMQP and management ports, then cluster ports p whose p + 1 (the link port) is free too
    List<Integer> ports = BrokerProcess.freePorts(2 * count);
    List<Integer> clusterPorts = BrokerProcess.freePortPairs(count, ports);
    String formers = clusterPorts.subList(0, initial).stream().map(p -> "127.0.0.1:" + p)
        .collect(Collectors.joining(","));
    String all = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    for (int i = 0; i < count; i++) {
      String peers = i < initial ? formers : all;
      int mgmt = ports.get(count + i);
      Path data = dir.resolve("n" + (i + 1));
      List<String> args = new ArrayList<>(List.of("--node-name", "n" + (i + 1), "--cluster-port",
          Integer.toString(clusterPorts.get(i)), "--cluster-peers", peers, "--management-port", Integer.toString(mgmt)));
      args.addAll(extraArgs);
      nodes.add(new BrokerProcess(data, ports.get(i), args));
      managementPorts.add(mgmt);
      dataDirs.add(data);
    }
  }

  /**
   * Starts every node (each waits for its AMQP port), then waits until every node sees them all
   * online, by name (each node announces its name once it is in).
   */
  public ClusterProcesses start() throws IOException, InterruptedException {
    for (int i = 0; i < initial; i++) {
      nodes.get(i).start();
    }
    for (int i = 1; i <= initial; i++) {
      awaitOnline(i, initial);
    }
    awaitNames(initial);
    return this;
  }

  /** Starts node {@code i}, one of those not in the initial cluster, and waits until it is a member. */
  public void startLater(int i) throws IOException, InterruptedException {
    node(i).start();
    awaitOnline(i, i);
    awaitNames(i);
  }

  /** Until nodes 1..n each name members n1..nn in cluster_status. */
  private void awaitNames(int n) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    for (int i = 1; i <= n; i++) {
      while (!namesAll(ctl(i, "-q", "cluster_status").out(), n)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("node " + i + " does not name every member: " + ctl(i, "cluster_status").out());
        }
        Thread.sleep(100);
      }
    }
  }

  private static boolean namesAll(String status, int n) {
    for (int i = 1; i <= n; i++) {
      if (!status.lines().anyMatch(("n" + i)::equals)) {
        return false;
      }
    }
    return true;
  }

  public BrokerProcess node(int i) {
    return nodes.get(i - 1);
  }

  public int size() {
    return nodes.size();
  }

  /** A connection factory for node {@code i}, as guest. */
  public ConnectionFactory factory(int i) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(node(i).port());
    f.setAutomaticRecoveryEnabled(false);
    return f;
  }

  public ManagementHttp management(int i) {
    return new ManagementHttp("127.0.0.1", managementPorts.get(i - 1), "guest", "guest");
  }

  /** {@code bin/warrenctl --data-dir <node i's> args...}. */
  public WarrenctlScript.Result ctl(int i, String... args) throws IOException, InterruptedException {
    List<String> a = new ArrayList<>(List.of("--data-dir", dataDirs.get(i - 1).toString()));
    a.addAll(List.of(args));
    return WarrenctlScript.runBare(a.toArray(String[]::new));
  }

  /** Waits (warrenctl await_online_nodes, 60 s) until node {@code i} sees {@code count} members online. */
  public void awaitOnline(int i, int count) throws IOException, InterruptedException {
    WarrenctlScript.Result r = ctl(i, "await_online_nodes", Integer.toString(count), "--timeout", "60");
    if (r.code() != 0) {
      throw new AssertionError("node " + i + " did not see " + count + " nodes online: " + r.out() + r.err());
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (BrokerProcess n : nodes) {
      n.close();
    }
  }
}
