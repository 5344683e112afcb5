package io.warrenmq.cluster.quorum;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.message.MessageCodec;
import io.warrenmq.broker.policy.EffectiveArguments;
import io.warrenmq.broker.queue.EnqueueResult;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueFlow;
import io.warrenmq.broker.queue.QueueHost;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.queue.QuorumQueues;
import io.warrenmq.broker.queue.RemoteQueue;
import io.warrenmq.cluster.quorum.QuorumCommands.Command;
import io.warrenmq.store.sync.RemoteSyncable;
import io.warrenmq.store.sync.Syncable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A quorum queue as one node sees it, member or not. Publishes go into the queue's Raft group
 * from any node ({@link CommandPipe}) and are confirmed once committed. The leader hands out the
 * messages ({@link Deliveries}); on the other nodes consumers, basic.get and purge go to the leader
 * over the inter-node link, as to a classic queue's home ({@link RemoteQueue}). When the leader
 * changes, every consumer is attached again to the new one, on its own (they wait while no leader
 * is known); what was out to them is handed out again by the new leader, marked redelivered, and
 * their acknowledgements of it still count.
 *
 * <p>Threading: thread-safe; this object's monitor is the queue lock under which consumers' credit
 * is taken and the state is applied.
 */
public final class QuorumQueue implements Queue, Replica, RemoteQueue.Rehome {
  private static final Logger log = LoggerFactory.getLogger(QuorumQueue.class);
  private static final Syncable NOTHING = () -> {};
  private static final ThreadLocal<Committed> LAST = new ThreadLocal<>();
  private static final int WAIT_SECONDS = 15;
  /** How long a basic.get waits for a leader this node has not heard of yet (one of the leader lookup's rounds and more). */
  private static final int GET_WAIT_SECONDS = 5;

  private final QueueSpec spec;
  private final RaftGroup group;
  /** The members as the metadata log last said (add_member and delete_member change them). */
  private volatile List<String> members;
  /** The node that declared the queue, as its definition says. */
  private final String declaredOn;
  private final QuorumGroups groups;
  private final ByteBufAllocator alloc;
  private final QuorumState state;
  private final AppliedBodies applied;
  private final CommandPipe pipe;
  private final Deliveries deliveries;
  /** This node's member of the group, or null while this node is not one. */
  private volatile @Nullable QueueStateMachine machine;
  private volatile @Nullable String leader;
  private volatile @Nullable RemoteQueue remote;
  /** This node's consumers while it does not lead: attached through the leader's node or waiting for one. */
  private final FollowerConsumers followers = new FollowerConsumers(this);
  private volatile boolean deleted;
  private volatile boolean closed;
  /** Whether this node leads the group, as its last leader change said (read without the lock). */
  private volatile boolean leading;
  private final QueueFlow flow = new QueueFlow();
  private final QuorumPolicy policy;
  /** The vhost: it takes the queue's dead letters and deletes it when it expires; null in tests. */
  private final @Nullable QueueHost host;

  private record Committed(CompletableFuture<Void> durable) implements RemoteSyncable {}

  QuorumQueue(QueueSpec spec, RaftGroup group, List<String> members, String declaredOn, QuorumGroups groups,
      ByteBufAllocator alloc, EffectiveArguments effective, @Nullable QueueStateMachine machine,
      @Nullable QueueHost host) {
    this.spec = spec;
    this.group = group;
    this.members = List.copyOf(members);
    this.declaredOn = declaredOn;
    this.groups = groups;
    this.alloc = alloc;
    this.policy = new QuorumPolicy(effective);
    this.state = new QuorumState(QuorumState.Config.of(EffectiveArguments.of(spec.arguments())));
    this.applied = new AppliedBodies(spec.resource(), state, () -> {
      QueueStateMachine m = this.machine;
      return m == null ? null : m.bodies();
    });
    this.pipe = new CommandPipe(spec.resource(), () -> groups.clients().newClient(group), flow, this::submitIfLeader);
    this.deliveries = new Deliveries(this, state, alloc, pipe,
        Boolean.TRUE.equals(spec.arguments().get("x-single-active-consumer")),
        QuorumDeadLetters.of(this, host, policy::effective));
    this.host = host;
    this.machine = machine;
    if (machine != null) {
      machine.bind(this);
    } else {
      lookUpLeader();
    }
  }

  /** While this node is not a member, it asks the members who leads. */
  private void lookUpLeader() {
    LeaderLookup.start(spec.resource(), group, () -> members, groups,
        () -> !deleted && !closed && machine == null, () -> leader, found -> leaderChanged(false, found));
  }

  /** The node that declared the queue. */
  String declaredOn() {
    return declaredOn;
  }

  /**
   * The metadata log changed the members (add_member, delete_member; on the metadata's apply
   * thread): a node now named joins the group with its state from nothing (its member catches up
   * from the leader's log), a node no longer named leaves it, and its log and bodies are deleted.
   */
  void membersChanged(List<String> now) {
    String self = groups.selfName();
    members = List.copyOf(now);
    QueueStateMachine m = machine;
    if (m == null && now.contains(self) && !deleted) {
      QueueStateMachine joined = groups.machineOf(group.getGroupId());
      synchronized (this) {
        state.clear();
        machine = joined;
      }
      joined.bind(this);
      groups.join(this);
      log.info("{}: this node is a member now", spec.resource());
    } else if (m != null && !now.contains(self)) {
      m.unbind();
      if (leading) {
        leaderChanged(false, null); // its consumers wait for the leader the lookup finds
      }
      synchronized (this) {
        machine = null;
        state.clear();
      }
      groups.leave(this);
      lookUpLeader();
      log.info("{}: this node is no longer a member", spec.resource());
    }
  }

  @Override
  public QueueSpec spec() {
    return spec;
  }

  RaftGroup group() {
    return group;
  }

  @Override
  public List<String> members() {
    return members;
  }

  @Override
  public String type() {
    return "quorum";
  }

  /** The node that leads the queue's group as this node last heard, or null if unknown. */
  public @Nullable String leader() {
    return leader;
  }

  /** Where consumers, basic.get and counts go while this node does not lead: the leader's node. */
  @Override
  public @Nullable String homeNode() {
    synchronized (this) {
      if (deliveries.active()) {
        return null;
      }
    }
    String l = leader;
    return l == null ? "(no leader)" : l;
  }

  @Override
  public @Nullable RemoteQueue servedBy() {
    synchronized (this) {
      if (deliveries.active()) {
        return null;
      }
    }
    return remote; // null while no leader is known: served here, with what this member knows
  }

  @Override
  public @Nullable CompletableFuture<@Nullable RemoteQueue> awaitServer() {
    CompletableFuture<@Nullable RemoteQueue> f = new CompletableFuture<>();
    synchronized (this) {
      if (deliveries.active() || deleted) {
        return null;
      }
      if (remote != null) { // heard of since the caller asked servedBy()
        return CompletableFuture.completedFuture(remote);
      }
      followers.awaitLeader(f);
    }
    return f.orTimeout(GET_WAIT_SECONDS, TimeUnit.SECONDS).exceptionallyCompose(e -> CompletableFuture.failedFuture(noLeader()));
  }

  private AmqpException noLeader() {
    return AmqpException.channelError(ReplyCode.NOT_FOUND,
        "%s has no leader reachable from this node (no majority of its members %s?)", spec.resource(), members);
  }

  @Override
  public @Nullable Object exclusiveOwner() {
    return null;
  }

  // ---------------------------------------------------------------- publishing

  /** Into the group; STORED_DURABLE: the confirm waits for the commit ({@link #syncTarget()}). */
  @Override
  public EnqueueResult enqueue(Message message) {
    if (deleted) {
      return EnqueueResult.REJECTED;
    }
    ByteBuf record = MessageCodec.encode(alloc, message,
        QuorumQueues.expiresAt(policy.messageTtl(), message, System.currentTimeMillis()));
    try {
      LAST.set(new Committed(pipe.publish(record)));
    } finally {
      record.release();
    }
    return EnqueueResult.STORED_DURABLE;
  }

  /** An entry of this node's, submitted in process if this node leads the group; null if it does not. */
  private @Nullable CompletableFuture<org.apache.ratis.protocol.RaftClientReply> submitIfLeader(
      org.apache.ratis.protocol.Message m) {
    // never into the server under a lock of ours: the pipe calls this under its own (and under the
    // queue's, from the apply thread), and Ratis notifies leader changes to the queue under its
    // division's lock, which the submission takes
    return leading ? groups.submitLocalAsync(group.getGroupId(), m) : null;
  }

  @Override
  public QueueFlow flow() {
    return flow;
  }

  @Override
  public Syncable syncTarget() {
    Committed c = LAST.get();
    LAST.remove();
    return c == null ? NOTHING : c;
  }

  // ---------------------------------------------------------------- the log's entries

  @Override
  public org.apache.ratis.protocol.Message apply(long index, List<Command> commands, long segment) {
    QuorumState.Applied a;
    synchronized (this) {
      if (machine == null) {
        return org.apache.ratis.protocol.Message.EMPTY; // this node has just left the group
      }
      if (segment >= 0) {
        applied.beforeEnqueue(index);
      }
      a = state.apply(index, commands, segment);
      applied.dropSettled();
      dispatchLocked();
    }
    return org.apache.ratis.protocol.Message.valueOf(new QuorumCommands.Reply(true, a.purged(), a.refused()).encode());
  }

  @Override
  public synchronized byte @Nullable [] snapshot() {
    return machine == null ? null : state.snapshot();
  }

  @Override
  public synchronized void restore(byte[] snapshot) {
    state.restore(snapshot);
    log.info("{}: state from a snapshot at entry {} ({} messages)", spec.resource(), state.lastApplied(),
        state.messages());
  }

  @Override
  public void policyChanged(EffectiveArguments now) {
    policy.changed(now);
    reconfigure();
  }

  /**
   * The leader logs the limits of the queue's policies (a CONFIG entry) when they are not those the
   * state applies; every member takes them at that point of the log. Not before the cluster has
   * the feature flag on: an older member could not apply the entry.
   */
  private void reconfigure() {
    if (!leading || !groups.featureEnabled(QuorumGroups.POLICIES_FLAG)) {
      return;
    }
    QuorumState.Config want = policy.limits();
    synchronized (this) {
      if (deliveries.active() && !want.equals(state.config())) {
        log.info("{}: its policies set its limits to {}", spec.resource(), want);
        pipe.configure(want);
      }
    }
  }

  @Override
  public void leaderChanged(boolean self, @Nullable RaftPeerId leaderId) {
    List<Consumer> linked = new ArrayList<>();
    synchronized (this) {
      QuorumLog bodies = machine == null ? null : machine.bodies();
      if (self && bodies != null) {
        if (!deliveries.active()) {
          deliveries.activate(bodies);
          policy.used(); // x-expires counts from here on a new leader
          log.info("{}: this node leads it now", spec.resource());
        }
        leading = true;
        leader = groups.selfName();
        remote = null;
      } else {
        leading = false;
        if (deliveries.active()) {
          for (Consumer c : deliveries.deactivate()) {
            if (c.target().viaLink()) {
              linked.add(c); // another node's: it attaches it again itself
            } else {
              followers.park(c);
            }
          }
        }
        if (leaderId != null) {
          String node = groups.nodeOf(leaderId);
          leader = node;
          remote = node == null ? null : new RemoteQueue(spec, node, groups::link, this);
        } else {
          leader = null;
          remote = null;
        }
      }
    }
    for (Consumer c : linked) {
      c.deactivate();
      c.target().cancelledByBroker(c);
    }
    releaseGetters();
    attachParked();
    reconfigure(); // a policy changed while another node led
  }

  /** The basic.get calls waiting for a leader go on, if one is known now. */
  private void releaseGetters() {
    List<CompletableFuture<@Nullable RemoteQueue>> getters;
    RemoteQueue server;
    synchronized (this) {
      server = deliveries.active() ? null : remote;
      getters = deliveries.active() || server != null ? followers.takeGetters() : List.of();
    }
    getters.forEach(g -> g.complete(server)); // outside the lock: the channels go on on their own loops
  }

  /** Attaches the consumers waiting for a leader, if one is known now. */
  private void attachParked() {
    List<Consumer> todo;
    RemoteQueue r;
    synchronized (this) {
      if (!followers.anyParked()) {
        return;
      }
      if (deliveries.active()) {
        followers.takeParked().forEach(deliveries::add);
        dispatchLocked();
        return;
      }
      r = remote;
      if (r == null) {
        return;
      }
      todo = followers.takeParkedFor(r);
    }
    followers.attach(todo, r, true);
  }

  @Override
  public void consumerEnded(Consumer consumer) {
    synchronized (this) {
      if (deleted) {
        followers.remove(consumer);
        consumer.deactivate();
        consumer.target().cancelledByBroker(consumer);
        return;
      }
      followers.ended(consumer);
    }
    attachParked();
  }

  @Override
  public void settleLost(io.warrenmq.broker.queue.QueueLink.Settlement op, long[] positions, int count) {
    switch (op) {
      case ACK, REJECT -> pipe.settle(positions, count, -1);
      case REQUEUE -> pipe.returned(positions, count, true);
    }
  }

  // ---------------------------------------------------------------- consuming

  @Override
  public synchronized @Nullable Delivery get(boolean noAck) {
    if (!deliveries.active()) {
      throw noLeader();
    }
    policy.used();
    try {
      return deliveries.get(noAck);
    } catch (IOException e) {
      throw AmqpException.channelError(ReplyCode.INTERNAL_ERROR, "%s: %s", spec.resource(), e.getMessage());
    }
  }

  @Override
  public void addConsumer(Consumer consumer) {
    RemoteQueue r;
    synchronized (this) {
      if (deleted) {
        throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s", spec.resource());
      }
      if (deliveries.active()) {
        List<Consumer> now = deliveries.consumers();
        if (now.stream().anyMatch(Consumer::exclusive) || (consumer.exclusive() && !now.isEmpty())) {
          throw AmqpException.channelError(ReplyCode.ACCESS_REFUSED, "%s in exclusive use", spec.resource());
        }
        deliveries.add(consumer);
        dispatchLocked();
        return;
      }
      if (consumer.target().viaLink()) {
        // another node took this one for the leader: it attaches its consumer where the leader is
        throw AmqpException.channelError(ReplyCode.NOT_FOUND, "%s is not led by this node", spec.resource());
      }
      r = remote;
      if (r == null) {
        followers.park(consumer);
        return;
      }
      followers.via(consumer, r);
    }
    followers.attach(List.of(consumer), r, false);
  }

  @Override
  public boolean removeConsumer(Consumer consumer) {
    RemoteQueue r;
    synchronized (this) {
      r = followers.remove(consumer);
      if (r == null) {
        consumer.deactivate();
        deliveries.remove(consumer);
        dispatchLocked(); // a single active consumer's successor takes over
        return false;
      }
    }
    r.removeConsumer(consumer);
    return false;
  }

  @Override
  public synchronized List<Consumer> consumers() {
    List<Consumer> all = new ArrayList<>(deliveries.consumers());
    followers.addAllTo(all);
    return all;
  }

  @Override
  public void dispatch() {
    List<RemoteQueue> viaLink;
    synchronized (this) {
      dispatchLocked();
      viaLink = followers.links();
    }
    viaLink.forEach(RemoteQueue::dispatch); // deliveries from the leader waiting for this channel's credit
  }

  /**
   * The leader's clock tick: drops the expired messages at the head (TTL), hands out what is
   * ready, and deletes the queue if it has been unused longer than its x-expires.
   */
  void expireTick() {
    boolean expired;
    synchronized (this) {
      if (!leading || deleted || closed) {
        return;
      }
      reading(deliveries::expireHead);
      dispatchLocked();
      expired = policy.unusedTooLong(!deliveries.consumers().isEmpty());
    }
    if (expired && host != null) {
      log.info("{}: unused for longer than its x-expires: deleted", spec.resource());
      host.expired(this); // through the metadata log, as a queue.delete
    }
  }

  private void dispatchLocked() {
    reading(deliveries::dispatch);
  }

  /** A step of the leader's that reads the member's bodies. */
  private interface Reading {
    void run() throws IOException;
  }

  /** Runs {@code step}; a failed read is logged, and the messages it was about stay in the queue. */
  private void reading(Reading step) {
    try {
      step.run();
    } catch (IOException e) {
      log.error("{}: reading its messages failed", spec.resource(), e);
    }
  }

  @Override
  public void ack(@Nullable Consumer consumer, long position) {
    ack(consumer, new long[] {position}, 1);
  }

  @Override
  public synchronized void ack(@Nullable Consumer consumer, long[] positions, int count) {
    deliveries.ack(consumer, positions, count);
    dispatchLocked();
  }

  @Override
  public synchronized void reject(@Nullable Consumer consumer, long[] positions, int count) {
    reading(() -> deliveries.reject(consumer, positions, count));
    dispatchLocked();
  }

  @Override
  public synchronized void requeue(@Nullable Consumer consumer, long[] positions, int count) {
    reading(() -> deliveries.requeue(consumer, positions, count));
    dispatchLocked();
  }

  // ---------------------------------------------------------------- counts, purge, delete

  @Override
  public synchronized long messageCount() {
    return Math.max(0, state.messages() - deliveries.unacked());
  }

  @Override
  public synchronized long unackedCount() {
    return deliveries.unacked();
  }

  @Override
  public synchronized int consumerCount() {
    return deliveries.consumers().size() + followers.size();
  }

  @Override
  public long purge() {
    CompletableFuture<Long> f = null;
    RemoteQueue r = null;
    synchronized (this) {
      if (deliveries.active()) {
        f = pipe.purge(state.nextSeq(), deliveries.outSeqs());
      } else {
        r = remote;
      }
    }
    if (f == null) {
      if (r == null) {
        throw noLeader();
      }
      return r.purge();
    }
    try {
      return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw noLeader();
    } catch (ExecutionException | TimeoutException e) {
      throw noLeader();
    }
  }

  @Override
  public void delete() {
    deleted = true;
    close();
    groups.removed(this);
  }

  @Override
  public boolean isDeleted() {
    return deleted;
  }

  @Override
  public void close() {
    closed = true;
    pipe.close();
    List<Consumer> gone;
    synchronized (this) {
      gone = deliveries.deactivate();
    }
    for (Consumer c : gone) {
      c.deactivate();
      c.target().cancelledByBroker(c);
    }
    followers.cancelAll();
  }

  /**
   * {@code transfer_leadership}: asks the group to make {@code node}'s member its leader; blocks
   * up to 10 s.
   *
   * @throws IllegalArgumentException if {@code node} is not a member or the transfer failed
   */
  public void transferLeadership(String node) {
    if (!members.contains(node)) {
      throw new IllegalArgumentException("node " + node + " is not a member of " + spec.resource() + ": " + members);
    }
    groups.clients().transferLeadership(group, node);
  }

  /**
   * {@code add_member}: {@code node} becomes a member; blocks until the group's configuration has
   * it (its member has caught up).
   *
   * @throws IllegalArgumentException if it cannot be added, with why
   */
  public void addMember(String node, io.warrenmq.broker.MetadataReplication metadata) {
    new MemberChanges(this, groups, metadata).add(node);
  }

  /**
   * {@code delete_member}: {@code node} is a member no longer; blocks until the group's
   * configuration lacks it.
   *
   * @throws IllegalArgumentException if it cannot be removed, with why
   */
  public void deleteMember(String node, io.warrenmq.broker.MetadataReplication metadata) {
    new MemberChanges(this, groups, metadata).delete(node);
  }

  /** {@code warrenctl quorum_status}: this node's view of the queue, as name and value pairs. */
  public java.util.Map<String, Object> status() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("members", String.join(", ", members));
    m.put("member here", machine != null);
    m.put("group", group.getGroupId().getUuid().toString());
    groups.describe(group.getGroupId(), m);
    m.put("leader", String.valueOf(leader));
    synchronized (this) {
      state.describe(m);
      deliveries.describe(m);
      followers.describe(m);
      QuorumLog bodies = machine == null ? null : machine.bodies();
      if (bodies != null) {
        m.put("bodies: last entry", bodies.lastIndex());
        m.put("bodies: bytes", bodies.diskBytes());
      }
    }
    return m;
  }

  @Override
  public String toString() {
    return "QuorumQueue[" + spec.resource() + " " + group.getGroupId() + "]";
  }
}
