package io.warrenmq.cluster.quorum;

import io.warrenmq.cluster.RaftTuning;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's Ratis clients of the quorum queues' groups, wherever their members are: the
 * commands a queue's node sends ({@link #newClient}), the leader a node that is not a member asks
 * for ({@link #findLeader}), and {@code transfer_leadership}. The groups' peers come from the
 * queues' members as the metadata names them ({@link QuorumGroups#groupOf}).
 *
 * <p>Threading: thread-safe; every call blocks on the network.
 */
final class GroupClients {
  private static final Logger log = LoggerFactory.getLogger(GroupClients.class);

  private final QuorumGroups groups;

  GroupClients(QuorumGroups groups) {
    this.groups = groups;
  }

  /**
   * Makes {@code node}'s member the leader of {@code known}'s group (blocks up to 10 s). Ratis
   * hands leadership only to the member of the highest priority, and a leader yields to one of
   * higher priority once it has caught up: the target's priority is raised above the others'
   * first (a configuration change through the log), so it also stays the leader after a restart.
   */
  void transferLeadership(RaftGroup known, String node) {
    QuorumGroups.Nodes n = groups.nodes();
    String address = n == null ? null : n.addressOf(node);
    if (address == null) {
      throw new IllegalArgumentException("node " + node + " is not known to this node");
    }
    RaftPeerId target = n.peer(address, 0).getId();
    try (RaftClient c = newClient(known)) {
      List<RaftPeer> peers = new ArrayList<>();
      for (RaftPeer p : c.getGroupManagementApi(target).info(known.getGroupId()).getGroup().getPeers()) {
        peers.add(RaftPeer.newBuilder(p).setPriority(p.getId().equals(target) ? 2 : 0).build());
      }
      RaftClientReply r = c.admin().setConfiguration(peers);
      if (r.isSuccess()) {
        r = c.admin().transferLeadership(target, 10_000);
      }
      if (!r.isSuccess()) {
        throw new IllegalArgumentException("the transfer to " + node + " failed: " + r.getException());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("the transfer to " + node + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The leader of {@code known}'s group as its members say (for a node that is not a member, which
   * hears of no leader change): asks each member in turn, once; null if none answers with one.
   */
  @Nullable RaftPeerId findLeader(RaftGroup known, List<String> members) {
    RaftGroup g = groups.groupOf(known.getGroupId(), members);
    if (g.getPeers().isEmpty()) {
      return null; // the cluster is starting: the members' addresses are not known yet
    }
    try (RaftClient c = RaftClient.newBuilder().setProperties(RaftTuning.client(2)).setRaftGroup(g)
        .setClientId(ClientId.randomId()).setRetryPolicy(RetryPolicies.noRetry()).build()) {
      for (RaftPeer peer : g.getPeers()) {
        try {
          var role = c.getGroupManagementApi(peer.getId()).info(known.getGroupId()).getRoleInfoProto();
          if (role.getRole() == RaftPeerRole.LEADER) {
            return peer.getId();
          }
          if (role.hasFollowerInfo() && !role.getFollowerInfo().getLeaderInfo().getId().getId().isEmpty()) {
            return RaftPeerId.valueOf(role.getFollowerInfo().getLeaderInfo().getId().getId());
          }
        } catch (IOException | RuntimeException e) {
          log.debug("{}: asking {} for its leader: {}", known.getGroupId(), peer.getId(), e.toString());
        }
      }
    } catch (IOException e) {
      log.debug("closing a Raft client", e);
    }
    return null;
  }

  /** A Ratis client of the queue's group, for this node's commands to it. */
  RaftClient newClient(RaftGroup known) {
    return newClient(known, null);
  }

  /** A Ratis client of the queue's group that asks {@code leader} first (null: any member). */
  RaftClient newClient(RaftGroup known, @Nullable RaftPeerId leader) {
    RaftGroup g = groups.groupOf(known.getGroupId(), groups.membersOf(known.getGroupId()));
    RaftClient.Builder b = RaftClient.newBuilder()
        .setProperties(RaftTuning.client(3))
        .setRaftGroup(g)
        .setClientId(ClientId.randomId())
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(40,
            TimeDuration.valueOf(250, TimeUnit.MILLISECONDS)));
    if (leader != null) {
      b.setLeaderId(leader);
    }
    return b.build();
  }
}
