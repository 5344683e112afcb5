package io.warrenmq.server.ctl;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.cluster.ClusterNode;
import io.warrenmq.cluster.ClusterStatus.Member;
import io.warrenmq.cluster.ClusterStatus;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The cluster, as rabbitmqctl shows, changes and waits for it: {@code cluster_status} (its
 * sections Basics, Disk Nodes, Running Nodes; and the metadata log's leader), {@code
 * join_cluster}, {@code forget_cluster_node NODE}, {@code await_online_nodes N} (exits 0 once this
 * node sees N members online, within {@code --timeout} seconds) and {@code queue_leader QUEUE}
 * (the node that leads the queue). A single node is a cluster of one.
 */
final class ClusterCommands implements CommandGroup {
  /** rabbitmqctl's default for wait commands is to wait: five minutes here, then the command fails. */
  private static final long DEFAULT_TIMEOUT_S = 300;

  private final Broker broker;
  private final @Nullable ClusterNode cluster;

  ClusterCommands(Broker broker, @Nullable ClusterNode cluster) {
    this.broker = broker;
    this.cluster = cluster;
  }

  @Override
  public boolean run(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "cluster_status" -> {
        a.atMost(0, "cluster_status");
        clusterStatus(a, out);
      }
      case "await_online_nodes" -> {
        a.atMost(1, "await_online_nodes <count>");
        awaitOnline(a, out);
      }
      case "join_cluster" -> {
        a.atMost(1, "join_cluster [<node>]");
        join(a, out);
      }
      case "forget_cluster_node" -> {
        a.atMost(1, "forget_cluster_node <node>");
        forget(a, out);
      }
      case "list_feature_flags" -> listFeatureFlags(a, out);
      case "enable_feature_flag" -> {
        a.atMost(1, "enable_feature_flag <name | all>");
        String name = a.arg(0, "enable_feature_flag <name | all>");
        a.info(out, "Enabling feature flag \"" + name + "\" ...");
        requireCluster().enableFeatureFlag(name);
      }
      case "queue_leader" -> {
        a.atMost(1, "queue_leader [-p <vhost>] <queue>");
        queueLeader(a, out);
      }
      case "check_if_node_is_quorum_critical" -> {
        a.atMost(0, "check_if_node_is_quorum_critical");
        var critical = io.warrenmq.broker.view.QuorumCritical.queues(broker);
        if (!critical.isEmpty()) {
          StringBuilder names = new StringBuilder();
          critical.forEach(q -> names.append('\n').append(q.spec().resource()));
          throw CtlError.error("Node " + nodeName() + " cannot be safely stopped: these quorum queues would lose "
              + "their majority:" + names);
        }
        a.info(out, "Node " + nodeName() + " reported no quorum queues that would lose their majority if it stopped");
      }
      case "transfer_leadership" -> {
        a.atMost(2, "transfer_leadership [-p <vhost>] <queue> <node>");
        String name = a.arg(0, "transfer_leadership [-p <vhost>] <queue> <node>");
        String node = a.arg(1, "transfer_leadership [-p <vhost>] <queue> <node>");
        quorumQueue(a, name).transferLeadership(node);
        a.info(out, "Leadership of quorum queue " + name + " transferred to node " + node);
      }
      case "quorum_status" -> {
        a.atMost(1, "quorum_status [-p <vhost>] <queue>");
        quorumStatus(a, out);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private String nodeName() {
    return cluster == null ? broker.pids().node() : cluster.settings().nodeName();
  }

  private void clusterStatus(CtlArgs a, StringBuilder out) {
    a.info(out, "Cluster status of node " + nodeName() + " ...");
    if (cluster == null) {
      out.append("Basics\n\nCluster name: ").append(broker.clusterName()).append("\n\nDisk Nodes\n\n")
          .append(nodeName()).append("\n\nRunning Nodes\n\n").append(nodeName()).append('\n');
      return;
    }
    ClusterStatus s = cluster.status();
    out.append("Basics\n\nCluster name: ").append(s.clusterName()).append("\n\nDisk Nodes\n\n");
    s.members().forEach(m -> out.append(m.name()).append('\n'));
    out.append("\nRunning Nodes\n\n");
    s.members().stream().filter(Member::online).forEach(m -> out.append(m.name()).append('\n'));
    out.append("\nMetadata Leader\n\n").append(s.leader() == null ? "(none)" : s.leader()).append('\n');
    out.append("\nMembers\n\n");
    for (Member m : s.members()) {
      out.append(m.name()).append('\t').append(m.address()).append('\t').append(m.online() ? "online" : "offline")
          .append(m.leader() ? "\tleader" : "").append('\n');
    }
  }

  private void awaitOnline(CtlArgs a, StringBuilder out) {
    String n = a.arg(0, "await_online_nodes <count>");
    int count;
    try {
      count = Integer.parseInt(n);
    } catch (NumberFormatException e) {
      throw new UsageException("await_online_nodes: '" + n + "' is not a number of nodes");
    }
    long timeout = a.timeoutSeconds < 0 ? DEFAULT_TIMEOUT_S : a.timeoutSeconds;
    a.info(out, "Will wait for " + count + " nodes to join the cluster of " + nodeName() + ". Timeout: " + timeout
        + " seconds.");
    long deadline = System.nanoTime() + timeout * 1_000_000_000L;
    while (online() < count || !caughtUp() || !leaderless().isEmpty()) {
      if (System.nanoTime() >= deadline) {
        List<String> waiting = leaderless();
        throw CtlError.error("timed out waiting for " + count + " nodes to be online: " + online() + " are"
            + (caughtUp() ? "" : ", and this node has not caught up with the metadata log")
            + (waiting.isEmpty() ? "" : ", and this node knows no leader of quorum queues " + waiting));
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CtlError.error("interrupted");
      }
    }
  }

  private ClusterNode requireCluster() {
    if (cluster == null) {
      throw CtlError.error("node " + nodeName() + " was started without cluster peers: start it with --cluster-peers"
          + " listing the cluster's nodes and itself (docs/clustering.md)");
    }
    return cluster;
  }

  /**
   * join_cluster: this node, started with a peer list naming a running cluster, becomes a member
   * (it asks on its own at boot; this asks now). The node argument rabbitmqctl takes is accepted:
   * the configured peers are asked.
   */
  private void join(CtlArgs a, StringBuilder out) {
    ClusterNode c = requireCluster();
    a.info(out, "Clustering node " + nodeName() + " with the configured peers ...");
    if (!c.join()) {
      throw CtlError.error("no member of the cluster could add node " + nodeName() + " now (none reachable, or no"
          + " majority)");
    }
  }

  /** forget_cluster_node: removes a stopped member from the cluster (rabbitmqctl's verb). */
  private void forget(CtlArgs a, StringBuilder out) {
    String node = a.arg(0, "forget_cluster_node <node>");
    ClusterNode c = requireCluster();
    a.info(out, "Removing node " + node + " from the cluster");
    try {
      if (!c.forget(node)) {
        throw CtlError.error("node " + node + " is not a member of the cluster");
      }
    } catch (IllegalStateException e) {
      throw CtlError.error(e.getMessage());
    }
  }

  /** list_feature_flags [name state provided_by desc stability]: a single node has every flag on. */
  private void listFeatureFlags(CtlArgs a, StringBuilder out) {
    new Table.Items<ClusterNode.Flag>()
        .add("name", ClusterNode.Flag::name)
        .add("state", f -> f.enabled() ? "enabled" : "disabled")
        .add("provided_by", f -> "rabbit")
        .add("desc", ClusterNode.Flag::description)
        .add("stability", f -> "stable")
        .write(out, a, "Listing feature flags ...", a.positional, List.of("name", "state"),
            () -> cluster != null ? cluster.featureFlags() : ClusterNode.allFlagsEnabled());
  }

  /** Whether this node has applied the metadata log as far as its leader had committed it (true for a single node). */
  private boolean caughtUp() {
    return cluster == null || cluster.status().caughtUp();
  }

  /**
   * The quorum queues that have a majority of their members online but whose leader this node has
   * not heard of yet (just after a partition heals, or, on a node that is not a member, until it
   * has asked the members): until it has, the node makes their basic.get wait (5 s, then 404) and its
   * consumers wait, so it is not yet serving them.
   */
  private List<String> leaderless() {
    if (cluster == null) {
      return List.of();
    }
    java.util.Set<String> up = new java.util.HashSet<>();
    for (Member m : cluster.status().members()) {
      if (m.online()) {
        up.add(m.name());
      }
    }
    List<String> out = new java.util.ArrayList<>();
    for (VirtualHost vh : broker.vhosts()) {
      for (var q : vh.queues()) {
        var quorum = io.warrenmq.cluster.quorum.QuorumGroups.of(q);
        if (quorum == null || quorum.leader() != null) {
          continue;
        }
        long online = quorum.members().stream().filter(up::contains).count();
        if (online * 2 > quorum.members().size()) {
          out.add(q.spec().resource());
        }
      }
    }
    return out;
  }

  /** The members this node sees online, itself included (one for a single node). */
  private long online() {
    return cluster == null ? 1 : cluster.status().onlineCount();
  }

  /** rabbitmq-queues quorum_status, as this node sees the queue (its own member and the leader's side). */
  private void quorumStatus(CtlArgs a, StringBuilder out) {
    String name = a.arg(0, "quorum_status [-p <vhost>] <queue>");
    var quorum = quorumQueue(a, name);
    a.info(out, "Status of quorum queue " + name + " on node " + nodeName() + " ...");
    quorum.status().forEach((k, v) -> out.append(k).append('\t').append(v).append('\n'));
  }

  private io.warrenmq.cluster.quorum.QuorumQueue quorumQueue(CtlArgs a, String name) {
    return QuorumMemberCommands.quorumQueue(broker, a.vhost, name);
  }

  /** A classic queue's leader is its home node, a quorum queue's the leader of its group. */
  private void queueLeader(CtlArgs a, StringBuilder out) {
    String name = a.arg(0, "queue_leader [-p <vhost>] <queue>");
    VirtualHost vh = broker.vhost(a.vhost);
    var q = vh == null ? null : vh.queue(name);
    if (q == null) {
      throw CtlError.error("queue '" + name + "' in vhost '" + a.vhost + "' not found");
    }
    var quorum = io.warrenmq.cluster.quorum.QuorumGroups.of(q);
    if (quorum != null && quorum.homeNode() != null && quorum.leader() == null) {
      throw CtlError.error("queue '" + name + "' in vhost '" + a.vhost + "' has no leader known to this node");
    }
    out.append(q.homeNode() != null ? q.homeNode() : nodeName()).append('\n');
  }

}
