package io.warrenmq.cluster;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.MetadataReplication;
import io.warrenmq.broker.view.ClusterView;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.broker.queue.QueueLink;
import io.warrenmq.cluster.link.NodeLinks;
import io.warrenmq.cluster.quorum.QuorumGroups;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in the cluster: a Ratis server holding the metadata group (every peer a voter,
 * the group named after the cluster), the broker's metadata and topology replicated through it, the
 * node's announcement of its name, and the members' status as this node sees it.
 *
 * <p>Threading: thread-safe. {@link #replicate} blocks its caller (the management API's and
 * warrenctl's threads, never an event loop) until the change is applied here or times out.
 */
public final class ClusterNode implements MetadataReplication, ClusterView, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

  private final Broker broker;
  private final ClusterSettings settings;
  private final RaftGroup group;
  private final Members members = new Members();
  private final FeatureFlags flags = new FeatureFlags();
  private final Consumer<String> fatal;
  private final MetadataStateMachine machine;
  private final RaftServer server;
  private final RaftClient client;
  /** For the status query to the leader: one try, no retries (it is asked again soon). */
  private final RaftClient statusClient;
  private final AtomicLong seq = new AtomicLong();
  private final Thread announcer;
  private final CatchUpNudge nudge;
  private final Membership membership;
  private final StatusReader statusReader;
  private @Nullable NodeLinks links;

  private ClusterNode(Broker broker, ClusterSettings s, Consumer<String> fatal, @Nullable QuorumGroups quorum)
      throws IOException {
    this.broker = broker;
    this.settings = s;
    this.fatal = fatal;
    RaftGroupId id = RaftGroupId.valueOf(
        UUID.nameUUIDFromBytes(("warren-metadata:" + s.clusterName()).getBytes(StandardCharsets.UTF_8)));
    this.group = RaftGroup.valueOf(id, s.peers().stream().map(PeerAddress::peer).toList());
    String origin = s.self().hostPort() + "/" + UUID.randomUUID();
    members.apply(broker.metadataChanges().clusterRecords());
    flags.apply(broker.metadataChanges().clusterRecords());
    List<String> missing = flags.missingHere(flags.enabled());
    if (!missing.isEmpty()) {
      throw new IOException("this node's version does not support feature flags enabled in the cluster: " + missing
          + "; run a version that does");
    }
    this.machine = new MetadataStateMachine(broker, origin, members, flags, fatal);
    this.server = RaftServer.newBuilder()
        .setServerId(s.self().id())
        .setGroup(group)
        .setStateMachineRegistry(g -> g.equals(id) || quorum == null ? machine : quorum.machineFor(g))
        .setProperties(RaftTuning.server(s))
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    this.client = RaftClient.newBuilder()
        .setProperties(RaftTuning.client(3))
        .setRaftGroup(group)
        .setClientId(ClientId.randomId())
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            (int) Math.max(1, s.metadataTimeout().toMillis() / 250), TimeDuration.valueOf(250, TimeUnit.MILLISECONDS)))
        .build();
    this.statusClient = RaftClient.newBuilder()
        .setProperties(RaftTuning.client(3))
        .setRaftGroup(group)
        .setClientId(ClientId.randomId())
        .setRetryPolicy(RetryPolicies.noRetry())
        .build();
    this.statusReader = new StatusReader(server, group.getGroupId(), s, members, statusClient);
    this.membership = new Membership(statusClient, client, id, s.self(), s.peers());
    this.announcer = Thread.ofVirtual().name("warren-cluster-announce").unstarted(this::announce);
    this.nudge = new CatchUpNudge(this::status, this::lastApplied, () -> replicate(
        List.of(Members.announcement(settings.self(), settings.nodeName(), flags.supported()))));
  }

  private long lastApplied() {
    try {
      return server.getDivision(group.getGroupId()).getInfo().getLastAppliedIndex();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Starts the node's Raft server, then replicates the broker's access metadata through it.
   *
   * @param fatal told, on any thread, why this node may no longer run in the cluster (the cluster
   *     enabled a feature flag its version lacks): the server should stop
   */
  public static ClusterNode start(Broker broker, ClusterSettings s, Consumer<String> fatal) throws IOException {
    return start(broker, s, fatal, null);
  }

  /**
   * As {@link #start(Broker, ClusterSettings, Consumer)}, with {@code quorum} the node's quorum
   * queues (given to the broker before it started), whose groups this node's server then hosts.
   */
  public static ClusterNode start(Broker broker, ClusterSettings s, Consumer<String> fatal,
      @Nullable QuorumGroups quorum) throws IOException {
    ClusterNode n = new ClusterNode(broker, s, fatal, quorum);
    n.links = new NodeLinks(broker, s.clusterName(), s.nodeName(), linkAddress(s.self()), n::linkAddressOf);
    broker.metadataChanges().replicateWith(n); // before the log's entries are applied: they may be topology
    n.server.start();
    if (quorum != null) {
      quorum.start(n.server, n.quorumNodes(), () -> n.links);
    }
    broker.setClusterView(n);
    n.announcer.start();
    n.nudge.start();
    log.info("cluster node '{}' at {}: metadata group {} over {}", s.nodeName(), s.self(), n.group.getGroupId(),
        s.peers());
    return n;
  }

  /**
   * Joins the members if the cluster does not list this node yet (it was added to a running
   * cluster), then tells the cluster this node's name; retries each until it succeeds.
   */
  private void announce() {
    while (true) {
      Boolean ok = joinable();
      if (Boolean.FALSE.equals(ok)) {
        return;
      }
      if (ok != null && membership.join()) {
        break;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
    while (!Thread.currentThread().isInterrupted()) {
      try {
        List<FieldTable> changes = new ArrayList<>();
        changes.add(Members.announcement(settings.self(), settings.nodeName(), flags.supported()));
        changes.addAll(flags.enableIfFirst());
        replicate(changes);
        return;
      } catch (AmqpException e) {
        log.debug("cluster: announcing this node: {}", e.getMessage());
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void replicate(List<FieldTable> changes) {
    long n = seq.incrementAndGet();
    CompletableFuture<Void> applied = new CompletableFuture<>();
    machine.expect(n, applied);
    Message entry = Message.valueOf(new MetadataEntry(originOf(), n, changes).encode());
    // the blocking API, each call on its own: a failed call of the ordered async API closes its
    // sliding window, and every later call on that client fails
    Thread.ofVirtual().name("warren-metadata-send").start(() -> {
      try {
        RaftClientReply reply = client.io().send(entry);
        if (!reply.isSuccess()) {
          applied.completeExceptionally(timedOut(reply.getException()));
        }
      } catch (IOException | RuntimeException e) {
        applied.completeExceptionally(timedOut(e));
      }
    });
    try {
      applied.get(settings.metadataTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw timedOut(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw timedOut(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw timedOut(e);
    } finally {
      machine.forget(n);
    }
  }

  private String originOf() {
    return machine.origin();
  }

  private AmqpException timedOut(@Nullable Throwable cause) {
    return AmqpException.channelError(ReplyCode.INTERNAL_ERROR,
        "metadata store operation timed out: no majority of the cluster's %d nodes reachable from node '%s'%s",
        settings.peers().size(), settings.nodeName(), cause == null || cause.getMessage() == null ? ""
            : " (" + cause.getClass().getSimpleName() + ")");
  }

  // ---------------------------------------------------------------- status

  /** The members as this node sees them, sorted by name. */
  public ClusterStatus status() {
    return statusReader.read();
  }

  private List<PeerAddress> currentPeers() {
    return statusReader.currentPeers();
  }

  /**
   * Whether this node's version supports every feature flag the cluster enabled, asked of the
   * leader before joining: null while no leader answers; false, and the node is stopped, if it
   * lacks one.
   */
  private @Nullable Boolean joinable() {
    String enabled;
    try {
      RaftClientReply r = client.io().sendReadOnly(Message.valueOf(MetadataStateMachine.FLAGS));
      if (!r.isSuccess()) {
        return null;
      }
      enabled = r.getMessage().getContent().toString(StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    Set<String> on = enabled.isEmpty() ? Set.of() : Set.of(enabled.split(","));
    List<String> missing = flags.missingHere(on);
    if (!missing.isEmpty()) {
      fatal.accept("this node's version does not support feature flags enabled in the cluster: " + missing
          + "; it does not join");
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- feature flags

  /** A feature flag as list_feature_flags shows it. */
  public record Flag(String name, boolean enabled, String description) {}

  /** A single node's flags: every one this version knows, on. */
  public static List<Flag> allFlagsEnabled() {
    return FeatureFlags.ALL.stream().map(f -> new Flag(f.name(), true, f.description())).toList();
  }

  public List<Flag> featureFlags() {
    return FeatureFlags.ALL.stream().filter(f -> flags.supported().contains(f.name()))
        .map(f -> new Flag(f.name(), flags.enabled(f.name()), f.description())).toList();
  }

  /**
   * enable_feature_flag: every member must have announced that its version supports the flag;
   * {@code all} enables every flag this node supports.
   *
   * @throws IllegalArgumentException for an unknown flag or a member that lacks it
   */
  public void enableFeatureFlag(String name) {
    List<FieldTable> changes = flags.enabling(name, currentPeers(), members);
    if (!changes.isEmpty()) {
      replicate(changes);
    }
  }

  /** join_cluster: makes this node a member if it is not one; false if no member could add it now. */
  public boolean join() {
    return membership.join();
  }

  /**
   * forget_cluster_node: removes the member named {@code node} (its name or address) from the
   * cluster; it must be offline. False if it is not a member.
   *
   * @throws IllegalArgumentException if it is online or this node itself
   * @throws IllegalStateException if no majority is reachable
   */
  public boolean forget(String node) {
    ClusterStatus.Member m = status().members().stream().filter(x -> x.name().equals(node) || x.address().equals(node))
        .findFirst().orElse(null);
    if (m == null) {
      return false;
    }
    if (m.self()) {
      throw new IllegalArgumentException("node " + node + " is this node: run forget_cluster_node on another member");
    }
    if (m.online()) {
      throw new IllegalArgumentException("node " + node + " is running: stop it first");
    }
    if (!membership.forget(PeerAddress.parse(m.address(), settings.self().port()))) {
      throw new IllegalStateException("the cluster did not remove node " + node + " (no majority reachable?)");
    }
    int queues = 0;
    for (VirtualHost vh : broker.vhosts()) {
      queues += vh.clustering().forgetNode(m.name());
    }
    log.info("forgot node '{}' and its {} queues", m.name(), queues);
    return true;
  }

  /** The members as the quorum queues need them: names, addresses, Raft peers. */
  private QuorumGroups.Nodes quorumNodes() {
    return new QuorumGroups.Nodes() {
      @Override
      public @Nullable String addressOf(String node) {
        return members.addressOf(node);
      }

      @Override
      public @Nullable String nameOf(RaftPeerId id) {
        return members.nameOf(id, settings.self().port());
      }

      @Override
      public List<String> online() {
        List<String> out = new ArrayList<>();
        out.add(settings.nodeName());
        for (ClusterStatus.Member m : status().members()) {
          if (m.online() && !m.self() && m.name() != null && !m.name().isEmpty()) {
            out.add(m.name());
          }
        }
        return out;
      }

      @Override
      public RaftPeer peer(String address, int priority) {
        RaftPeer p = PeerAddress.parse(address, settings.self().port()).peer();
        return RaftPeer.newBuilder(p).setPriority(priority).build();
      }

      @Override
      public boolean featureEnabled(String name) {
        return flags.enabled(name);
      }
    };
  }

  /** A node's link listens on its Raft port + 1 (RabbitMQ's inter-node traffic shares 25672; Raft holds that here). */
  static InetSocketAddress linkAddress(PeerAddress raft) {
    return new InetSocketAddress(raft.host(), raft.port() + 1);
  }

  private @Nullable InetSocketAddress linkAddressOf(String node) {
    String raft = members.addressOf(node);
    return raft == null ? null : linkAddress(PeerAddress.parse(raft, settings.self().port()));
  }

  @Override
  public @Nullable QueueLink queueLink() {
    return links;
  }

  @Override
  public String clusterName() {
    return settings.clusterName();
  }

  @Override
  public List<ClusterView.Member> members() {
    return status().members().stream().map(m -> new ClusterView.Member(m.name(), m.online(), m.self())).toList();
  }

  @Override
  public void addQueueMember(io.warrenmq.broker.queue.Queue q, String node) {
    quorumQueue(q).addMember(node, this);
  }

  @Override
  public void deleteQueueMember(io.warrenmq.broker.queue.Queue q, String node) {
    quorumQueue(q).deleteMember(node, this);
  }

  @Override
  public void transferQueueLeadership(io.warrenmq.broker.queue.Queue q, String node) {
    quorumQueue(q).transferLeadership(node);
  }

  private static io.warrenmq.cluster.quorum.QuorumQueue quorumQueue(io.warrenmq.broker.queue.Queue q) {
    var quorum = QuorumGroups.of(q);
    if (quorum == null) {
      throw new IllegalArgumentException(q.spec().resource() + " is not a quorum queue");
    }
    return quorum;
  }

  public ClusterSettings settings() {
    return settings;
  }

  @Override
  public void close() throws IOException {
    announcer.interrupt();
    nudge.stop();
    if (links != null) {
      links.close();
    }
    statusClient.close();
    client.close();
    server.close();
  }
}
