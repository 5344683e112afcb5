package io.warrenmq.cluster;

import io.warrenmq.cluster.ClusterStatus.Member;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the members' status as this node sees it: the members from its view of the committed
 * configuration, online from the leader's view (its own if it leads, else asked of the leader), and
 * the names the members announced.
 *
 * <p>Threading: thread-safe; a read may wait up to 2 s for the leader.
 */
final class StatusReader {
  private static final Logger log = LoggerFactory.getLogger(StatusReader.class);
  /** A follower that has not answered the leader for this long counts as offline. */
  private static final long ONLINE_WITHIN_MS = 5_000;

  private final RaftServer server;
  private final RaftGroupId group;
  private final ClusterSettings settings;
  private final Members members;
  /** One try, no retries: the status is asked again soon. */
  private final RaftClient ask;

  StatusReader(RaftServer server, RaftGroupId group, ClusterSettings settings, Members members, RaftClient ask) {
    this.server = server;
    this.group = group;
    this.settings = settings;
    this.members = members;
    this.ask = ask;
  }

  ClusterStatus read() {
    DivisionInfo info;
    try {
      info = server.getDivision(group).getInfo();
    } catch (IOException e) {
      return new ClusterStatus(settings.clusterName(), settings.nodeName(), null, List.of());
    }
    RaftPeerId leader = info.getLeaderId();
    Map<String, Long> lastSeen = new HashMap<>();
    boolean caughtUp = true;
    if (info.isLeader()) {
      lastSeen.putAll(followersSeen(info));
    } else if (leader != null) {
      lastSeen.putAll(askLeader(leader));
      Long commit = lastSeen.remove(MetadataStateMachine.COMMIT);
      caughtUp = commit == null || info.getLastAppliedIndex() >= commit;
    } else {
      caughtUp = false;
    }
    List<Member> out = new ArrayList<>();
    for (PeerAddress p : currentPeers()) {
      boolean self = p.equals(settings.self());
      boolean isLeader = leader != null && leader.equals(p.id());
      Long ms = lastSeen.get(p.hostPort());
      boolean online = self || (isLeader && (info.isLeader() || !lastSeen.isEmpty()))
          || (ms != null && ms < ONLINE_WITHIN_MS);
      String name = members.name(p);
      out.add(new Member(name == null ? p.hostPort() : name, p.hostPort(), online, isLeader, self));
    }
    out.sort(Comparator.comparing(Member::name)); // rabbitmqctl lists nodes sorted
    String leaderName = out.stream().filter(Member::leader).map(Member::name).findFirst().orElse(null);
    return new ClusterStatus(settings.clusterName(), settings.nodeName(), leaderName, out, caughtUp);
  }

  /**
   * A leader's followers: address to milliseconds since each last answered. Ratis starts a new
   * leader's clock of every follower at the election, so a follower that has not answered once in
   * this term (no match index yet) is given {@link Long#MAX_VALUE}: a node killed just before the
   * election is not online for the first seconds of the new term.
   */
  static Map<String, Long> followersSeen(DivisionInfo info) {
    Map<String, Long> out = new HashMap<>();
    List<org.apache.ratis.proto.RaftProtos.ServerRpcProto> followers =
        info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
    long[] match = info.getFollowerMatchIndices();
    for (int i = 0; i < followers.size(); i++) {
      var f = followers.get(i);
      boolean answered = match.length != followers.size() || match[i] >= 0;
      out.put(f.getId().getAddress(), answered ? f.getLastRpcElapsedTimeMs() : Long.MAX_VALUE);
    }
    return out;
  }

  /** The members in this node's view of the configuration (the configured peers until it has one). */
  List<PeerAddress> currentPeers() {
    try {
      List<PeerAddress> out = server.getDivision(group).getRaftConf().getCurrentPeers().stream()
          .map(p -> PeerAddress.parse(p.getAddress(), settings.self().port())).toList();
      return out.isEmpty() ? settings.peers() : out;
    } catch (IOException | IllegalArgumentException e) {
      return settings.peers();
    }
  }

  /** The leader's view of its followers: address to milliseconds since each answered; empty if it does not answer. */
  private Map<String, Long> askLeader(RaftPeerId leader) {
    Map<String, Long> out = new HashMap<>();
    CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
    Thread.ofVirtual().name("warren-metadata-status").start(() -> {
      try {
        reply.complete(ask.io().sendReadOnly(Message.valueOf(MetadataStateMachine.STATUS), leader));
      } catch (IOException | RuntimeException e) {
        reply.completeExceptionally(e);
      }
    });
    try {
      RaftClientReply r = reply.get(2, TimeUnit.SECONDS);
      if (r.isSuccess()) {
        for (String line : r.getMessage().getContent().toString(StandardCharsets.UTF_8).split("\n")) {
          int eq = line.lastIndexOf('=');
          if (eq > 0) {
            out.put(line.substring(0, eq + (line.startsWith(MetadataStateMachine.COMMIT) ? 1 : 0)),
                Long.parseLong(line.substring(eq + 1)));
          }
        }
      }
    } catch (ExecutionException | TimeoutException | NumberFormatException e) {
      log.debug("cluster: the leader did not say who is online: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }
}
