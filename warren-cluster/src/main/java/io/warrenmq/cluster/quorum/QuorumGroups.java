package io.warrenmq.cluster.quorum;

import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueHost;
import io.warrenmq.broker.queue.QueueLink;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.queue.QuorumQueues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.StateMachine;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's quorum queues: one Raft group per queue, hosted by the node's one Ratis server beside
 * the metadata group. A queue's definition names its members (the declaring node first, whose peer
 * gets the highest priority, so that it leads: RabbitMQ's {@code client-local} locator) and its
 * group id; every member adds the group to its server when it applies the definition, and removes
 * it, with its data, when the queue is deleted.
 *
 * <p>Threading: thread-safe. Groups are added and removed on background threads (they wait for
 * the server).
 */
public final class QuorumGroups implements QuorumQueues {
  private static final Logger log = LoggerFactory.getLogger(QuorumGroups.class);
  /**
   * The largest entry of a queue's log, its bodies included: Ratis sends no larger one to the
   * followers, and each group's log writer holds a direct buffer of this size. A larger message
   * is refused (its publisher nacked).
   */
  public static final int ENTRY_BYTES = 1 << 20;
  /** The size of the segment files of a member's bodies. */
  static final long SEGMENT_BYTES = 64L << 20;

  /** How this node knows the cluster's members (set once the cluster node is up). */
  public interface Nodes {
    /** The Raft address {@code host:port} of the node named so, or null if unknown. */
    @Nullable String addressOf(String node);

    /** The name of the node whose Raft peer id is {@code id}, or null. */
    @Nullable String nameOf(RaftPeerId id);

    /** The online members, this one first. */
    List<String> online();

    /** Makes a Raft peer of a Raft address. */
    RaftPeer peer(String address, int priority);

    /** Whether the cluster has feature flag {@code name} on. */
    boolean featureEnabled(String name);
  }

  /** The feature flag that lets a queue's leader log the limits its policies set (CONFIG entries). */
  public static final String POLICIES_FLAG = "quorum_queue_policies";
  /** Members take snapshots (an older member could not install one, nor start from its own). */
  public static final String SNAPSHOTS_FLAG = "quorum_queue_snapshots";

  private final String self;
  private final ByteBufAllocator alloc;
  private final Map<RaftGroupId, QueueStateMachine> machines = new ConcurrentHashMap<>();
  private final Map<RaftGroupId, QuorumQueue> queues = new ConcurrentHashMap<>();
  private final AtomicLong calls = new AtomicLong();
  private final ClientId clientId = ClientId.randomId();
  private final java.util.concurrent.Executor submitter =
      java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("warren-qq-submit").factory());
  private volatile @Nullable RaftServer server;
  private volatile @Nullable Nodes nodes;
  private volatile Supplier<@Nullable QueueLink> link = () -> null;
  private final GroupClients clients = new GroupClients(this);

  public QuorumGroups(String self, ByteBufAllocator alloc) {
    this.self = self;
    this.alloc = alloc;
  }

  String selfName() {
    return self;
  }

  /** The Ratis registry's part: the state machine of queue group {@code id}. */
  public StateMachine machineFor(RaftGroupId id) {
    return machineOf(id);
  }

  QueueStateMachine machineOf(RaftGroupId id) {
    return machines.computeIfAbsent(id, g -> new QueueStateMachine(SEGMENT_BYTES, () -> featureEnabled(SNAPSHOTS_FLAG)));
  }

  /** How this node knows the members, once the cluster node is up. */
  @Nullable Nodes nodes() {
    return nodes;
  }

  /**
   * The cluster node is up: its server hosts the groups, {@code nodes} names the members,
   * {@code link} reaches the leaders. The groups of the queues opened so far are added.
   */
  public void start(RaftServer s, Nodes n, Supplier<@Nullable QueueLink> l) {
    this.nodes = n;
    this.link = l;
    this.server = s;
    for (QuorumQueue q : queues.values()) {
      join(q);
    }
    Thread.ofVirtual().name("warren-qq-expiry").start(this::expireLoop);
  }

  /** Every second, for the node's life: each queue this node leads drops its expired head messages. */
  private void expireLoop() {
    while (true) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      for (QuorumQueue q : queues.values()) {
        try {
          q.expireTick();
        } catch (RuntimeException e) {
          log.warn("{}: expiring its messages failed", q, e);
        }
      }
    }
  }

  /** Whether the cluster has feature flag {@code flag} on ({@link #POLICIES_FLAG}, {@link #SNAPSHOTS_FLAG}). */
  boolean featureEnabled(String flag) {
    Nodes n = nodes;
    return n != null && n.featureEnabled(flag);
  }

  @Nullable QueueLink link() {
    return link.get();
  }

  @Nullable String nodeOf(RaftPeerId id) {
    Nodes n = nodes;
    return n == null ? null : n.nameOf(id);
  }

  // ---------------------------------------------------------------- declare and open

  @Override
  public Map<String, Object> place(QueueSpec spec) {
    Nodes n = nodes;
    if (n == null) {
      throw AmqpException.channelError(ReplyCode.INTERNAL_ERROR, "the cluster is starting: declare %s again soon",
          spec.resource());
    }
    int size = QuorumQueues.initialGroupSize(spec);
    List<String> members = new ArrayList<>();
    members.add(self);
    for (String m : n.online()) {
      if (members.size() >= size) {
        break;
      }
      if (!members.contains(m)) {
        members.add(m);
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("members", List.copyOf(members));
    r.put("group", UUID.randomUUID().toString());
    return r;
  }

  @Override
  public Queue open(QueueSpec spec, FieldTable record, QueueHost host,
      io.warrenmq.broker.policy.EffectiveArguments effective) {
    List<@Nullable Object> m = record.getArray("members");
    String g = record.getString("group");
    if (m == null || g == null) {
      throw new IllegalArgumentException("the definition of quorum " + spec.resource() + " lacks members or group");
    }
    List<String> members = m.stream().map(String::valueOf).toList();
    RaftGroupId id = RaftGroupId.valueOf(UUID.fromString(g));
    QueueStateMachine machine = members.contains(self) ? machineOf(id) : null;
    String declaredOn = record.getString("node");
    QuorumQueue q = new QuorumQueue(spec, groupOf(id, members), members, declaredOn == null ? self : declaredOn,
        this, alloc, effective, machine, host);
    queues.put(id, q);
    if (server != null) {
      join(q);
    }
    return q;
  }

  @Override
  public boolean changeMembers(Queue q, FieldTable record) {
    List<@Nullable Object> m = record.getArray("members");
    if (!(q instanceof QuorumQueue quorum) || m == null || m.isEmpty()) {
      return false;
    }
    List<String> now = m.stream().map(String::valueOf).toList();
    if (now.equals(quorum.members())) {
      return false; // replayed
    }
    quorum.membersChanged(now);
    return true;
  }

  /** The group with its peers as far as their addresses are known (all of them once the cluster is up). */
  RaftGroup groupOf(RaftGroupId id, List<String> members) {
    Nodes n = nodes;
    List<RaftPeer> peers = new ArrayList<>();
    if (n != null) {
      for (int i = 0; i < members.size(); i++) {
        String a = n.addressOf(members.get(i));
        if (a != null) {
          peers.add(n.peer(a, i == 0 ? 1 : 0));
        }
      }
    }
    return RaftGroup.valueOf(id, peers);
  }

  /** Adds the queue's group to this node's server if this node is a member and it is not there yet. */
  void join(QuorumQueue q) {
    RaftServer s = server;
    if (s == null) {
      return;
    }
    if (!q.members().contains(self)) {
      dropStale(q, s);
      return;
    }
    Thread.ofVirtual().name("warren-qq-join").start(() -> {
      RaftGroup g = groupOf(q.group().getGroupId(), q.members());
      for (int attempt = 0; attempt < 60 && !q.isDeleted(); attempt++) {
        try {
          for (RaftGroupId have : s.getGroupIds()) {
            if (have.equals(g.getGroupId())) {
              return;
            }
          }
          if (g.getPeers().size() < q.members().size()) {
            Thread.sleep(500); // a member not announced yet
            g = groupOf(q.group().getGroupId(), q.members());
            continue;
          }
          RaftClientReply r = s.groupManagement(
              GroupManagementRequest.newAdd(clientId, s.getId(), calls.incrementAndGet(), g));
          if (r.isSuccess()) {
            log.debug("{}: joined its group {}", q.spec().resource(), g.getGroupId());
            return;
          }
          log.debug("{}: adding group {}: {}", q.spec().resource(), g.getGroupId(), r.getException());
        } catch (IOException e) {
          if (String.valueOf(e.getMessage()).contains("already exists")) {
            return;
          }
          log.debug("{}: adding group {}: {}", q.spec().resource(), g.getGroupId(), e.toString());
        } catch (InterruptedException e) {
          return;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  /**
   * A node that is not a member of the queue may still have its group on disk: it was removed
   * (delete_member) while it was down, or went down before it had deleted the group. The group's
   * entries would wait for a replica forever: it is removed, with its data.
   */
  private void dropStale(QuorumQueue q, RaftServer s) {
    try {
      for (RaftGroupId have : s.getGroupIds()) {
        if (have.equals(q.group().getGroupId())) {
          log.info("{}: this node is not a member: it removes the group {} it still had", q.spec().resource(), have);
          leave(q);
          return;
        }
      }
    } catch (RuntimeException e) {
      log.debug("{}: looking for a stale group: {}", q.spec().resource(), e.toString());
    }
  }

  /** The queue was deleted: this node leaves its group and deletes its data. */
  void removed(QuorumQueue q) {
    queues.remove(q.group().getGroupId());
    if (!q.members().contains(self)) {
      machines.remove(q.group().getGroupId());
      return;
    }
    leave(q);
  }

  /** This node leaves the queue's group (the queue was deleted, or this node is no longer a member) and deletes its data. */
  void leave(QuorumQueue q) {
    RaftGroupId id = q.group().getGroupId();
    RaftServer s = server;
    if (s == null) {
      machines.remove(id);
      return;
    }
    Thread.ofVirtual().name("warren-qq-leave").start(() -> {
      try {
        s.groupManagement(GroupManagementRequest.newRemove(clientId, s.getId(), calls.incrementAndGet(), id, true,
            false));
      } catch (IOException e) {
        log.warn("{}: could not remove its group {}: {}", q.spec().resource(), id, e.toString());
      } finally {
        machines.remove(id);
      }
    });
  }

  /**
   * {@link #submitLocal} on a thread of its own: the caller may hold a lock that Ratis' threads
   * wait for while they hold the group's (a leader change notified to the queue), and the
   * submission takes the group's lock. Each pipe has one entry in flight, so the order holds.
   */
  java.util.concurrent.CompletableFuture<RaftClientReply> submitLocalAsync(RaftGroupId id,
      org.apache.ratis.protocol.Message m) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> submitLocal(id, m), submitter)
        .thenCompose(f -> f);
  }

  /**
   * Submits {@code m} to this node's own member of group {@code id}, in process (no gRPC): for a
   * node that leads the group. Fails, or answers NotLeader, if it does not.
   */
  java.util.concurrent.CompletableFuture<RaftClientReply> submitLocal(RaftGroupId id,
      org.apache.ratis.protocol.Message m) {
    RaftServer s = server;
    if (s == null) {
      return java.util.concurrent.CompletableFuture.failedFuture(new IOException("not started"));
    }
    org.apache.ratis.protocol.RaftClientRequest r = org.apache.ratis.protocol.RaftClientRequest.newBuilder()
        .setClientId(clientId).setServerId(s.getId()).setGroupId(id).setCallId(calls.incrementAndGet())
        .setMessage(m).setType(org.apache.ratis.protocol.RaftClientRequest.writeRequestType()).build();
    try {
      return s.submitClientRequestAsync(r);
    } catch (IOException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  /** The Ratis clients of the queues' groups: leadership transfers, leader lookups, commands. */
  GroupClients clients() {
    return clients;
  }

  /** The members of the queue of group {@code id} as this node knows them; none if no such queue is open. */
  List<String> membersOf(RaftGroupId id) {
    QuorumQueue q = queues.get(id);
    return q != null ? q.members() : List.of();
  }

  /** For {@code warrenctl} and the management API: the quorum queue of this name, if it is one. */
  public static @Nullable QuorumQueue of(Queue q) {
    return q instanceof QuorumQueue qq ? qq : null;
  }

  /** The Raft side of quorum_status: this member's role, term and indexes in the group. */
  void describe(RaftGroupId id, Map<String, Object> m) {
    RaftServer s = server;
    if (s == null) {
      return;
    }
    try {
      var d = s.getDivision(id);
      var info = d.getInfo();
      m.put("raft role", info.getCurrentRole());
      m.put("raft term", info.getCurrentTerm());
      m.put("raft commit index", d.getRaftLog().getLastCommittedIndex());
      m.put("raft last log index", d.getRaftLog().getLastEntryTermIndex() == null ? -1
          : d.getRaftLog().getLastEntryTermIndex().getIndex());
      m.put("raft last applied", info.getLastAppliedIndex());
      var snapshot = d.getStateMachine().getLatestSnapshot();
      m.put("raft snapshot index", snapshot == null ? -1 : snapshot.getIndex());
      m.put("raft log start index", d.getRaftLog().getStartIndex());
    } catch (IOException e) {
      m.put("raft", "not on this node (" + e.getMessage() + ")");
    }
  }
}
