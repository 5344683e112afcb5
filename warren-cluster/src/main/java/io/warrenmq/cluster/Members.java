package io.warrenmq.cluster;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.definitions.Records;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The nodes' names by their Raft address, as each node announced itself in the metadata log
 * ({@code cluster.node} records, kept in the definitions log between runs).
 *
 * <p>Threading: changed on the metadata log's apply thread, read anywhere.
 */
final class Members {
  static final String NODE = Records.CLUSTER_PREFIX + "node";

  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<String, List<String>> features = new LinkedHashMap<>();

  /** A node's announcement: its name and the feature flags its version supports. */
  static FieldTable announcement(PeerAddress peer, String name, List<String> supportedFlags) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(Records.TYPE, NODE);
    m.put(Records.OP, Records.PUT);
    m.put("key", peer.hostPort());
    m.put("name", name);
    m.put("features", List.copyOf(supportedFlags));
    return FieldTable.of(m);
  }

  /** Whether no node has announced itself yet (a new cluster). */
  synchronized boolean none() {
    return names.isEmpty();
  }

  /** Whether {@code changes} hold an announcement. */
  static boolean announces(List<FieldTable> changes) {
    return changes.stream().anyMatch(c -> NODE.equals(c.getString(Records.TYPE)));
  }

  /** The feature flags {@code peer} said it supports, or null before it announced itself. */
  synchronized @Nullable List<String> features(PeerAddress peer) {
    return features.get(peer.hostPort());
  }

  synchronized void apply(List<FieldTable> changes) {
    for (FieldTable c : changes) {
      if (NODE.equals(c.getString(Records.TYPE))) {
        String key = c.getString("key");
        String name = c.getString("name");
        if (key != null && name != null) {
          if (Records.PUT.equals(c.getString(Records.OP))) {
            names.put(key, name);
            List<Object> f = c.getArray("features");
            features.put(key, f == null ? List.of() : f.stream().map(String::valueOf).toList());
          } else {
            names.remove(key);
            features.remove(key);
          }
        }
      }
    }
  }

  /** The name {@code peer} announced, or null before it did. */
  synchronized @Nullable String name(PeerAddress peer) {
    return names.get(peer.hostPort());
  }

  /** The name of the node whose Raft peer id is {@code id}, or null before it announced itself. */
  synchronized @Nullable String nameOf(org.apache.ratis.protocol.RaftPeerId id, int defaultPort) {
    for (Map.Entry<String, String> e : names.entrySet()) {
      if (PeerAddress.parse(e.getKey(), defaultPort).id().equals(id)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The Raft address ({@code host:port}) of the node that announced itself as {@code name}, or null. */
  synchronized @Nullable String addressOf(String name) {
    for (Map.Entry<String, String> e : names.entrySet()) {
      if (e.getValue().equals(name)) {
        return e.getKey();
      }
    }
    return null;
  }
}
