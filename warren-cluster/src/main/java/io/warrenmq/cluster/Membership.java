package io.warrenmq.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata group's membership: who is in the configuration the cluster committed, a node
 * that is not yet in it asking to be added (a node started with a peer list that names a running
 * cluster plus itself), and a member removed (forget_cluster_node). Changes are Raft
 * configuration changes through the leader ({@code setConfiguration}); the leader first brings a
 * new member up to date.
 *
 * <p>Threading: each call blocks its caller on the cluster; thread-safe.
 */
final class Membership {
  private static final Logger log = LoggerFactory.getLogger(Membership.class);

  /** Asks one given server, no retries. */
  private final RaftClient ask;
  /** Finds the leader and retries there. */
  private final RaftClient client;
  private final RaftGroupId group;
  private final PeerAddress self;
  private final List<PeerAddress> seeds;

  Membership(RaftClient ask, RaftClient client, RaftGroupId group, PeerAddress self, List<PeerAddress> seeds) {
    this.ask = ask;
    this.client = client;
    this.group = group;
    this.self = self;
    this.seeds = seeds;
  }

  /** The committed configuration, as the first other node that answers has it; null if none answers. */
  @Nullable List<RaftPeer> committed() {
    for (PeerAddress p : seeds) {
      if (p.equals(self)) {
        continue;
      }
      try {
        GroupInfoReply info = ask.getGroupManagementApi(p.id()).info(group);
        Optional<RaftConfigurationProto> conf = info.getConf();
        if (info.isSuccess() && conf.isPresent()) {
          return conf.get().getPeersList().stream().map(Membership::peerOf).toList();
        }
      } catch (IOException | RuntimeException e) {
        log.debug("cluster: {} did not say who the members are: {}", p, e.toString());
      }
    }
    return null;
  }

  private static RaftPeer peerOf(RaftPeerProto p) {
    return RaftPeer.newBuilder().setId(RaftPeerId.valueOf(p.getId())).setAddress(p.getAddress()).build();
  }

  /**
   * Makes this node a member if the cluster's configuration does not list it yet. Returns true
   * once it is a member (it was, or the change committed), false if no other node answered or the
   * change failed (try again later).
   */
  boolean join() {
    List<RaftPeer> conf = committed();
    if (conf == null) {
      return false;
    }
    if (conf.stream().anyMatch(p -> p.getId().equals(self.id()))) {
      return true;
    }
    List<RaftPeer> next = new ArrayList<>(conf);
    next.add(self.peer());
    log.info("cluster: asking to join the members {}", conf.stream().map(RaftPeer::getAddress).toList());
    return change(next);
  }

  /** Removes {@code peer} from the configuration; false if it is not a member or the change failed. */
  boolean forget(PeerAddress peer) {
    List<RaftPeer> conf = committed();
    if (conf == null) {
      throw new IllegalStateException("no other member answers: the cluster has no majority reachable from here");
    }
    if (conf.stream().noneMatch(p -> p.getId().equals(peer.id()))) {
      return false;
    }
    List<RaftPeer> next = conf.stream().filter(p -> !p.getId().equals(peer.id())).toList();
    log.info("cluster: removing {} from the members", peer);
    return change(next);
  }

  private boolean change(List<RaftPeer> next) {
    try {
      RaftClientReply r = client.admin().setConfiguration(next);
      if (!r.isSuccess()) {
        log.warn("cluster: the membership change to {} failed: {}", next, r.getException());
      }
      return r.isSuccess();
    } catch (IOException | RuntimeException e) {
      log.warn("cluster: the membership change to {} failed: {}", next, e.toString());
      return false;
    }
  }
}
