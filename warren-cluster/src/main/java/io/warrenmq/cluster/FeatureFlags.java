package io.warrenmq.cluster;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.definitions.Records;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Feature flags, RabbitMQ's mixed-version story: each node announces the flags its version
 * supports, a flag is enabled for the whole cluster through the metadata log ({@code
 * cluster.featureFlag} records), and once it is, a node whose version lacks it may not run in the
 * cluster. The first node to announce itself in a new cluster enables every flag it supports, as a
 * new RabbitMQ cluster starts with its stable flags on.
 *
 * <p>Threading: changed on the metadata log's apply thread, read anywhere.
 */
final class FeatureFlags {
  static final String RECORD = Records.CLUSTER_PREFIX + "featureFlag";
  /**
   * Names this process pretends not to support (a comma-separated system property): what an
   * older version would announce, for rolling-upgrade tests.
   */
  static final String PRETEND_UNSUPPORTED = "warren.cluster.unsupportedFeatureFlags";

  /** A flag: its name (RabbitMQ's where it has one) and what it stands for. */
  record Flag(String name, String description) {}

  /** Every flag this version knows, in the order they came. */
  static final List<Flag> ALL = List.of(
      new Flag("feature_flags_v2", "Feature flags subsystem V2"),
      new Flag("implicit_default_bindings", "Default bindings are now implicit, instead of being stored in the database"),
      new Flag("virtual_host_metadata", "Virtual host metadata (description, tags, etc)"),
      new Flag("user_limits", "Configure connection and channel limits for a user"),
      new Flag("metadata_log", "Vhosts, users, permissions, policies and parameters in the cluster's Raft log"),
      new Flag(io.warrenmq.cluster.quorum.QuorumGroups.POLICIES_FLAG,
          "Policies set the limits of quorum queues (max-length, overflow, delivery-limit) through their logs"),
      new Flag(io.warrenmq.cluster.quorum.QuorumGroups.SNAPSHOTS_FLAG,
          "Quorum queues' members snapshot their state, and their logs are compacted"));

  private final Set<String> supported;
  private final Set<String> enabled = new LinkedHashSet<>();

  FeatureFlags() {
    Set<String> hidden = Arrays.stream(System.getProperty(PRETEND_UNSUPPORTED, "").split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    supported = ALL.stream().map(Flag::name).filter(n -> !hidden.contains(n))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  static boolean known(String name) {
    return ALL.stream().anyMatch(f -> f.name().equals(name));
  }

  /** The flags this node's version supports, in order. */
  List<String> supported() {
    return List.copyOf(supported);
  }

  synchronized boolean enabled(String name) {
    return enabled.contains(name);
  }

  synchronized Set<String> enabled() {
    return Set.copyOf(enabled);
  }

  /** The enabled flags this node does not support, sorted; empty if it may run in the cluster. */
  synchronized List<String> missingHere(Set<String> enabledInCluster) {
    return enabledInCluster.stream().filter(f -> !supported.contains(f)).sorted().toList();
  }

  /** Marks the flag records an announcement carries: kept only by a new cluster's first announcement. */
  static final String IF_FIRST = "ifFirst";

  static FieldTable enable(String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(Records.TYPE, RECORD);
    m.put(Records.OP, Records.PUT);
    m.put("key", name);
    m.put("state", "enabled");
    return FieldTable.of(m);
  }

  /** The records that enable this node's flags if its announcement is the cluster's first. */
  List<FieldTable> enableIfFirst() {
    return supported.stream().map(n -> enable(n).with(IF_FIRST, true)).toList();
  }

  /** Applies the flag records of one entry (or those kept in the definitions log at boot). */
  synchronized void apply(List<FieldTable> changes) {
    for (FieldTable c : changes) {
      if (RECORD.equals(c.getString(Records.TYPE)) && Records.PUT.equals(c.getString(Records.OP))) {
        String key = c.getString("key");
        if (key != null) {
          enabled.add(key);
        }
      }
    }
  }

  /**
   * The records that enable {@code name} ({@code all}: every flag this version supports) in the
   * cluster of {@code peers}: none for flags already enabled.
   *
   * @throws IllegalArgumentException for an unknown flag, a member that has not announced its
   *     flags, or members that lack the flag (all of them named, sorted)
   */
  List<FieldTable> enabling(String name, List<PeerAddress> peers, Members members) {
    if (!name.equals("all") && !known(name)) {
      throw new IllegalArgumentException("unknown feature flag '" + name + "'");
    }
    List<FieldTable> changes = new ArrayList<>();
    for (String n : name.equals("all") ? supported() : List.of(name)) {
      if (enabled(n)) {
        continue;
      }
      List<String> lacking = new ArrayList<>();
      for (PeerAddress p : peers) {
        List<String> f = members.features(p);
        String who = members.name(p) == null ? p.hostPort() : members.name(p);
        if (f == null) {
          throw new IllegalArgumentException("node " + who + " has not announced its feature flags (is it running?)");
        }
        if (!f.contains(n)) {
          lacking.add(who);
        }
      }
      if (!lacking.isEmpty()) {
        Collections.sort(lacking);
        throw new IllegalArgumentException("feature flag '" + n + "' is not supported by "
            + (lacking.size() == 1 ? "node " : "nodes ") + String.join(", ", lacking) + ": upgrade them first");
      }
      changes.add(enable(n));
    }
    return changes;
  }
}
