package io.warrenmq.cluster.quorum;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.MetadataReplication;
import io.warrenmq.broker.definitions.Records;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.jspecify.annotations.Nullable;

/**
 * {@code add_member} and {@code delete_member} of a quorum queue (rabbitmq-queues' verbs). The
 * members are in two places, kept in this order so that a failure half-way can be retried:
 *
 * <ul>
 *   <li>adding: the queue's definition in the metadata log first (every node applies it; the new
 *       member's node adds the group to its server, bound to its queue, with its state from
 *       nothing), then the group's Raft configuration, which Ratis commits once the new member has
 *       caught up from the leader's log. If the configuration change fails, the definition is put
 *       back and the node leaves the group again.
 *   <li>removing: the group's configuration first (a majority of the old and of the new members
 *       must take it; a leader removed steps down), then the definition, on which the removed
 *       member's node deletes its log and bodies.
 * </ul>
 *
 * <p>Threading: the caller's (a {@code warrenctl} command); it blocks on Ratis and the metadata log.
 */
final class MemberChanges {
  /** How long the new member's node has to add the group once the metadata names it. */
  private static final long JOIN_WAIT_MS = 15_000;
  /** How long the queue's group has to elect a leader. */
  private static final long LEADER_WAIT_MS = 5_000;

  private final QuorumQueue queue;
  private final QuorumGroups groups;
  private final MetadataReplication metadata;

  MemberChanges(QuorumQueue queue, QuorumGroups groups, MetadataReplication metadata) {
    this.queue = queue;
    this.groups = groups;
    this.metadata = metadata;
  }

  void add(String node) {
    QuorumGroups.Nodes n = nodes();
    String address = n.addressOf(node);
    if (address == null) {
      throw error("node %s is not a member of the cluster", node);
    }
    if (!n.online().contains(node)) {
      throw error("node %s is not running", node);
    }
    List<String> before = queue.members();
    RaftPeer peer = n.peer(address, 0);
    List<RaftPeer> conf;
    RaftPeerId leader = leader(before);
    try (RaftClient c = groups.clients().newClient(queue.group())) {
      conf = configuration(c, leader);
    } catch (IOException e) {
      throw error("adding node %s to %s failed: %s", node, queue.spec().resource(), e.getMessage());
    }
    boolean configured = conf.stream().anyMatch(p -> p.getId().equals(peer.getId()));
    if (configured && before.contains(node)) {
      throw error("node %s is already a member of %s", node, queue.spec().resource());
    }
    boolean named = !before.contains(node);
    if (named) {
      List<String> after = new ArrayList<>(before);
      after.add(node);
      define(after);
    }
    if (configured) {
      return; // an earlier add_member that failed after the configuration change
    }
    // a client that knows the new member's address: the queue's members are the new ones now
    try (RaftClient c = groups.clients().newClient(queue.group(), leader)) {
      awaitGroup(c, peer.getId(), node);
      List<RaftPeer> next = new ArrayList<>(conf);
      next.add(peer);
      RaftClientReply r = c.admin().setConfiguration(next);
      if (!r.isSuccess()) {
        throw new IOException(String.valueOf(r.getException()));
      }
    } catch (IOException | RuntimeException e) {
      if (named) {
        define(before); // the node leaves the group again
      }
      throw error("the group of %s did not take node %s: %s", queue.spec().resource(), node, e.getMessage());
    }
  }

  void delete(String node) {
    QuorumGroups.Nodes n = nodes();
    List<String> before = queue.members();
    if (!before.contains(node)) {
      throw error("node %s is not a member of %s: %s", node, queue.spec().resource(), before);
    }
    if (before.size() == 1) {
      throw error("node %s is the last member of %s: delete the queue instead", node, queue.spec().resource());
    }
    RaftPeerId leader = leader(before);
    try (RaftClient c = groups.clients().newClient(queue.group(), leader)) {
      List<RaftPeer> conf = configuration(c, leader);
      List<RaftPeer> next = new ArrayList<>();
      for (RaftPeer p : conf) {
        if (!node.equals(n.nameOf(p.getId()))) {
          next.add(p);
        }
      }
      if (next.size() < conf.size()) {
        RaftClientReply r = c.admin().setConfiguration(next);
        if (!r.isSuccess()) {
          throw error("the group of %s did not let node %s go: %s", queue.spec().resource(), node, r.getException());
        }
      }
    } catch (IOException e) {
      throw error("the group of %s did not let node %s go: %s", queue.spec().resource(), node, e.getMessage());
    }
    List<String> after = new ArrayList<>(before);
    after.remove(node);
    define(after);
  }

  private QuorumGroups.Nodes nodes() {
    QuorumGroups.Nodes n = groups.nodes();
    if (n == null) {
      throw error("the cluster is starting: try again soon");
    }
    return n;
  }

  /** The group's leader; a group just made (or just failed over) gets a few seconds to elect one. */
  private RaftPeerId leader(List<String> members) {
    long until = System.currentTimeMillis() + LEADER_WAIT_MS;
    while (true) {
      RaftPeerId leader = groups.clients().findLeader(queue.group(), members);
      if (leader != null) {
        return leader;
      }
      if (System.currentTimeMillis() > until) {
        throw error("%s has no leader (no majority of its members %s online?)", queue.spec().resource(), members);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw error("interrupted");
      }
    }
  }

  /** The group's peers as its leader has them. */
  private List<RaftPeer> configuration(RaftClient c, RaftPeerId leader) throws IOException {
    return new ArrayList<>(c.getGroupManagementApi(leader).info(groupId()).getGroup().getPeers());
  }

  /** Waits until {@code node}'s server has the group (it adds it when it applies the definition). */
  private void awaitGroup(RaftClient c, RaftPeerId peer, String node) throws IOException {
    long until = System.currentTimeMillis() + JOIN_WAIT_MS;
    while (true) {
      try {
        var info = c.getGroupManagementApi(peer).info(groupId());
        if (info.isSuccess() && info.getRoleInfoProto().getRole() == RaftPeerRole.FOLLOWER) {
          return;
        }
        if (System.currentTimeMillis() > until) {
          throw new IOException("node " + node + " did not start its member: " + info.getRoleInfoProto().getRole());
        }
      } catch (IOException | RuntimeException e) {
        // not there yet, or there and not started: Ratis answers that with an IllegalStateException
        if (System.currentTimeMillis() > until) {
          throw new IOException("node " + node + " did not add the group: " + e.getMessage(), e);
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  /** The queue's definition with {@code members}, through the metadata log (applied here when this returns). */
  private void define(List<String> members) {
    FieldTable record = Records.queue(queue.spec(), "", queue.declaredOn()).with("members", List.copyOf(members))
        .with("group", groupId().getUuid().toString()).with("membersChange", true).with("owner", "");
    metadata.replicate(List.of(record));
  }

  private RaftGroupId groupId() {
    return queue.group().getGroupId();
  }

  private static IllegalArgumentException error(String format, @Nullable Object... args) {
    return new IllegalArgumentException(String.format(format, args));
  }
}
