package io.warrenmq.server.config;

import io.warrenmq.cluster.ClusterSettings;
import io.warrenmq.cluster.PeerAddress;
import io.warrenmq.server.config.ConfigLoader.ConfigException;
import io.warrenmq.server.config.ConfigLoader.Key;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Clustering (docs/clustering.md): the node's name and cluster port, and its peers, from WarrenMQ's
 * {@code cluster_peers} (a comma-separated list of {@code host:port}, this node's own included)
 * or RabbitMQ's peer discovery keys: {@code cluster_formation.peer_discovery_backend =
 * classic_config} with {@code cluster_formation.classic_config.nodes.N = name@host} lines, or
 * {@code = dns} with {@code cluster_formation.dns.hostname}, whose addresses are the peers. No peers:
 * a single node, exactly as without clustering (no Raft, no threads).
 */
final class ClusterKeys {
  static final String NODES = "cluster_formation.classic_config.nodes";
  static final String BACKEND = "cluster_formation.peer_discovery_backend";
  static final String DNS_HOSTNAME = "cluster_formation.dns.hostname";

  static final List<Key> KEYS = List.of(
      new Key("node_name", "",
          "this node's name (cluster_status, the management API, pids); default warren@HOST, or the cluster address"),
      new Key("cluster_port", "25672", "port of the cluster listener (Raft), on the node's cluster address"),
      new Key("cluster_peers", "",
          "every cluster node's host:port (this one's included); empty: a single node, no clustering"),
      new Key("cluster_address", "",
          "this node's host in the peer list, when it cannot be told from bind and the local addresses"),
      new Key("cluster_name", "warren", "the cluster's name (RabbitMQ's key); nodes with another name do not join"),
      new Key("cluster_metadata_timeout", "15000",
          "milliseconds a definition change waits for a majority of the cluster before it fails"),
      new Key("quorum_queue_snapshot_interval", "16384",
          "log entries after which a quorum queue's member snapshots its state and drops the entries before it"),
      new Key("raft_log_segment_bytes", "8388608",
          "size of the Raft logs' segment files; entries before a snapshot are dropped a whole segment at a time"),
      Key.rabbit(BACKEND, "peer-discovery-backend", "classic_config",
          "how the peers are found (RabbitMQ's key): classic_config (the nodes listed) or dns"),
      Key.rabbit(NODES, "cluster-nodes", "",
          "the peers, as cluster_formation.classic_config.nodes.N = [name@]host[:port] lines (RabbitMQ's key)"),
      Key.rabbit(DNS_HOSTNAME, "cluster-dns-hostname", "",
          "with the dns backend: a host name whose addresses are the nodes (RabbitMQ's key)"));

  private ClusterKeys() {}

  /** The family a file key belongs to ({@code cluster_formation.classic_config.nodes.1}), or null. */
  static @Nullable String familyOf(String key) {
    String f = NODES + ".";
    return key.startsWith(f) && key.length() > f.length() && key.indexOf('.', f.length()) < 0 ? NODES : null;
  }

  /** The node's cluster settings, or null for a single node (no peers configured). */
  static @Nullable ClusterSettings from(Map<String, String> v, Path dataDir, List<String> bind) {
    int port = ConfigLoader.intValue(v, "cluster_port", 1, 65535);
    List<PeerAddress> peers = peers(v, port);
    if (peers.isEmpty()) {
      return null;
    }
    PeerAddress self = self(v, peers, port, bind);
    String name = v.get("node_name").strip();
    if (name.isEmpty()) {
      // warren@HOST, or warren@HOST:PORT where nodes share a host
      boolean shared = peers.stream().filter(p -> p.host().equals(self.host())).count() > 1;
      name = "warren@" + (shared ? self.hostPort() : self.host());
    }
    long timeout = ConfigLoader.longValue(v, "cluster_metadata_timeout", 100, 3_600_000);
    long snapshots = ConfigLoader.longValue(v, "quorum_queue_snapshot_interval", 16, 1L << 30);
    long segment = ConfigLoader.longValue(v, "raft_log_segment_bytes", 16 << 10, 1L << 30);
    return new ClusterSettings(name, self, peers, v.get("cluster_name").strip(), dataDir.resolve("raft"),
        Duration.ofMillis(timeout), snapshots, segment);
  }

  private static List<PeerAddress> peers(Map<String, String> v, int port) {
    String backend = v.get(BACKEND).strip();
    List<PeerAddress> peers = new ArrayList<>(parse("cluster_peers", v.get("cluster_peers"), port));
    switch (backend) {
      case "classic_config", "rabbit_peer_discovery_classic_config" -> {
        for (String n : v.get(NODES).split(",")) {
          if (!n.isBlank()) {
            String host = n.strip();
            host = host.substring(host.indexOf('@') + 1); // rabbit@host: the host is the address
            for (PeerAddress a : parse(NODES, host, port)) {
              if (!peers.contains(a)) {
                peers.add(a);
              }
            }
          }
        }
      }
      case "dns", "rabbit_peer_discovery_dns" -> {
        String host = v.get(DNS_HOSTNAME).strip();
        if (host.isEmpty()) {
          throw new ConfigException("configuration key '" + BACKEND + "' is dns but '" + DNS_HOSTNAME + "' is not set");
        }
        try {
          for (InetAddress a : InetAddress.getAllByName(host)) {
            PeerAddress p = new PeerAddress(a.getHostAddress(), port);
            if (!peers.contains(p)) {
              peers.add(p);
            }
          }
        } catch (UnknownHostException e) {
          throw new ConfigException("configuration key '" + DNS_HOSTNAME + "': cannot resolve '" + host + "'");
        }
      }
      default -> throw new ConfigException("configuration key '" + BACKEND
          + "' must be classic_config or dns, got '" + backend + "'");
    }
    return peers;
  }

  private static List<PeerAddress> parse(String key, String value, int port) {
    try {
      return PeerAddress.parseList(value, port);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("configuration key '" + key + "': " + e.getMessage());
    }
  }

  /**
   * Which peer this node is: the one at {@code cluster_address} if set; else the one on the cluster
   * port whose address is a bind address, or else a local one; it must be exactly one.
   */
  private static PeerAddress self(Map<String, String> v, List<PeerAddress> peers, int port, List<String> bind) {
    String address = v.get("cluster_address").strip();
    if (!address.isEmpty()) {
      PeerAddress a = parse("cluster_address", address, port).getFirst();
      PeerAddress withPort = new PeerAddress(a.host(), port);
      if (!peers.contains(withPort)) {
        throw new ConfigException("configuration key 'cluster_address': " + withPort + " is not one of the cluster peers "
            + peers);
      }
      return withPort;
    }
    List<PeerAddress> onPort = peers.stream().filter(p -> p.port() == port).toList();
    List<PeerAddress> bound = onPort.stream().filter(p -> bind.contains(p.host())).toList();
    if (bound.size() == 1) {
      return bound.getFirst();
    }
    List<PeerAddress> local = onPort.stream().filter(ClusterKeys::isLocal).toList();
    if (local.size() == 1) {
      return local.getFirst();
    }
    throw new ConfigException("cannot tell which of the cluster peers " + peers + " is this node (cluster port " + port
        + ", " + (local.isEmpty() ? "none" : local.size()) + " of them local): set cluster_address");
  }

  private static boolean isLocal(PeerAddress p) {
    try {
      InetAddress a = InetAddress.getByName(p.host());
      return a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
  }
}
