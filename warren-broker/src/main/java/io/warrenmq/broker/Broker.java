package io.warrenmq.broker;

import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.UserUpdate;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.broker.parameter.RuntimeParameters;
import io.warrenmq.broker.vhost.VhostMetadata;
import io.warrenmq.broker.definitions.DefinitionModel;
import io.warrenmq.broker.definitions.DefinitionStore;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.auth.TopicPermission;
import io.warrenmq.broker.stats.BrokerStats;
import io.warrenmq.broker.view.ClusterView;
import io.warrenmq.broker.view.ConnectionRegistry;
import io.warrenmq.broker.view.Pids;
import io.warrenmq.broker.vhost.DirNames;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.store.queue.StoreOptions;
import io.warrenmq.store.sync.GroupCommitter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import io.warrenmq.store.recovery.SchemaVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import io.warrenmq.broker.policy.Policies;
import io.warrenmq.broker.policy.Policy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.warrenmq.broker.alarm.ResourceAlarms;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker: vhosts, users and permissions, the definitions log and the group committer.
 * {@link #start()} recovers the durable state; {@link #close()} stops it. Operations that change
 * definitions persist them before returning (the caller may wait for durability with
 * {@link #definitions()}).
 *
 * <p>Threading: thread-safe; administrative changes are serialised by the broker's monitor.
 */
public final class Broker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final BrokerOptions options;
  private final ByteBufAllocator alloc;
  private final Users users;
  private final Map<String, VirtualHost> vhosts = new ConcurrentHashMap<>();
  private volatile io.warrenmq.broker.queue.@org.jspecify.annotations.Nullable QuorumQueues quorumQueues;
  private final ConnectionRegistry connections = new ConnectionRegistry();
  private final BrokerStats stats = new BrokerStats();
  private final Pids pids;
  private final ResourceLimits resourceLimits = ResourceLimits.forThisMachine();
  private final ResourceAlarms alarms;
  private final Policies policies = new Policies();
  private final RuntimeParameters parameters = new RuntimeParameters();
  private final ParameterAdmin parameterOps;
  private final UserAdmin userOps;
  private final MetadataChanges metadata = new MetadataChanges(this);
  private volatile @Nullable ClusterView clusterView;
  private final ConnectionLimits connectionLimits = new ConnectionLimits(this);
  private final ScheduledThreadPoolExecutor timers = newTimers();
  private final ExecutorService blocking =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("warren-blocking-", 0).factory());
  private @Nullable GroupCommitter committer;
  private @Nullable DefinitionStore definitions;
  private @Nullable FileChannel lockChannel;

  public Broker(BrokerOptions options, ByteBufAllocator alloc) {
    this.options = options;
    this.alloc = alloc;
    this.pids = new Pids(options.nodeName(), System.currentTimeMillis() / 1000);
    this.alarms = new ResourceAlarms(pids.node());
    this.users = new Users(options.loopbackUsers());
    this.parameterOps = new ParameterAdmin(this, parameters);
    this.userOps = new UserAdmin(this, users);
  }

  private static ScheduledThreadPoolExecutor newTimers() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().name("warren-timer").daemon().factory());
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /** Recovers definitions and queues from the data directory (creating it on first boot). */
  public synchronized void start() throws IOException {
    Path data = options.dataDir();
    Files.createDirectories(data);
    lockDataDir(data);
    SchemaVersion.checkOrCreate(data);
    OrphanFiles.deleteRecursively(data.resolve("transient"));
    committer = new GroupCommitter("warren-group-commit");
    definitions = DefinitionStore.open(data.resolve("definitions").resolve("definitions.log"), committer);
    logRecovery(definitions.recoveryReport());
    DefinitionModel model = DefinitionModel.replay(definitions.recovered());
    if (model.vhosts().isEmpty() && model.users().isEmpty()) {
      firstBoot(model);
    }
    new DefinitionRestore(users, policies, parameters, vhosts, this::newVhost, options.dataDir(), options.nodeName())
        .restore(model);
    metadata.recovered(model);
    definitions.rewrite(model.snapshot());
    parameterOps.ensureClusterId();
  }

  /**
   * One broker per data directory: an exclusive lock on DATA_DIR/.lock, held until close (the
   * store does not guard against two processes opening the same queue files).
   */
  private void lockDataDir(Path data) throws IOException {
    FileChannel ch = FileChannel.open(data.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      ch.close();
      throw new IOException("data directory " + data + " is in use by another broker");
    }
    lockChannel = ch;
  }

  private void firstBoot(DefinitionModel model) {
    log.info("first boot: creating vhost '{}' and user '{}'", options.defaultVhost(), options.defaultUser());
    User u = new User(options.defaultUser(), io.warrenmq.broker.auth.PasswordHash.hash(options.defaultPassword()),
        List.of("administrator"));
    // rabbit:insert_default_data: the default vhost's description
    model.apply(Records.vhost(options.defaultVhost(), "Default virtual host", List.of(), ""));
    model.apply(Records.user(u));
    model.apply(Records.permission(u.name(), options.defaultVhost(), Permission.ALL));
  }

  private static void logRecovery(io.warrenmq.store.recovery.RecoveryReport definitionsLog) {
    if (definitionsLog.truncated()) {
      log.warn("definitions log: cut a torn tail of {} bytes; changes written after it are lost ({} records kept)",
          definitionsLog.bytesTruncated(), definitionsLog.recordsRecovered());
    } else {
      log.info("definitions log: {} records", definitionsLog.recordsRecovered());
    }
  }

  private VirtualHost newVhost(String name) {
    Path base = options.dataDir();
    String id = DirNames.of(name);
    VirtualHost vh = new VirtualHost(name, base.resolve("vhosts").resolve(id).resolve("queues"),
        base.resolve("transient").resolve(id), definitions(),
        new StoreOptions(options.segmentCapacity(), true), alloc, blocking, timers, policies);
    io.warrenmq.broker.queue.QuorumQueues q = quorumQueues;
    if (q != null) {
      vh.clustering().useQuorumQueues(q);
    }
    return vh;
  }

  /** A cluster node's quorum queues: set before {@link #start()}, so that the restored ones open as such. */
  public void setQuorumQueues(io.warrenmq.broker.queue.QuorumQueues q) {
    quorumQueues = q;
  }

  public BrokerOptions options() {
    return options;
  }

  public Users users() {
    return users;
  }

  public Policies policies() {
    return policies;
  }

  /** Adds or replaces a policy (or operator policy) and applies it to existing entities at once. */
  public synchronized void setPolicy(Policy p) {
    commit(Records.policy(p));
  }

  public synchronized void clearPolicy(String vhost, String name, boolean operator) {
    commit(Records.policyDeleted(vhost, name, operator));
  }

  // ---------------------------------------------------------------- metadata changes

  /** How access-metadata changes are made: here at once, or through the cluster's metadata log. */
  public MetadataChanges metadataChanges() {
    return metadata;
  }

  void commit(FieldTable... changes) {
    metadata.commit(changes);
  }

  /** The cluster this node is part of, for the API's node listings; none for a single node. */
  public void setClusterView(ClusterView v) {
    clusterView = v;
  }

  public @Nullable ClusterView clusterView() {
    return clusterView;
  }

  public ConnectionRegistry connections() {
    return connections;
  }

  /** Node-wide statistics: connection and channel churn, deleted vhosts' totals. */
  public BrokerStats stats() {
    return stats;
  }

  /** The synthetic pids of this broker's connections and channels. */
  public Pids pids() {
    return pids;
  }

  /** The resource alarms in effect; the server's {@code ResourceMonitor} raises and clears them. */
  public ResourceAlarms alarms() {
    return alarms;
  }

  /** The memory and disk thresholds (runtime settings, not persisted). */
  public ResourceLimits resourceLimits() {
    return resourceLimits;
  }

  public DefinitionStore definitions() {
    DefinitionStore d = definitions;
    if (d == null) {
      throw new IllegalStateException("broker not started");
    }
    return d;
  }

  public GroupCommitter committer() {
    GroupCommitter c = committer;
    if (c == null) {
      throw new IllegalStateException("broker not started");
    }
    return c;
  }

  /** Runs work that may block on disk (store open and delete, definitions); virtual threads. */
  public ExecutorService blockingExecutor() {
    return blocking;
  }

  public @Nullable VirtualHost vhost(String name) {
    return vhosts.get(name);
  }

  public List<VirtualHost> vhosts() {
    List<VirtualHost> l = new ArrayList<>(vhosts.values());
    l.sort(Comparator.comparing(VirtualHost::name, io.warrenmq.broker.vhost.NameOrder.INSTANCE));
    return l;
  }

  // ---------------------------------------------------------------- administration

  public synchronized void addVhost(String name) {
    addVhost(name, VhostMetadata.NONE);
  }

  /** rabbitmqctl add_vhost with --description, --tags, --default-queue-type. */
  public synchronized void addVhost(String name, VhostMetadata metadata) {
    BrokerVhosts.checkQueueType(metadata.defaultQueueType());
    commit(BrokerVhosts.record(name, metadata).with(MetadataApplier.IF_ABSENT, true));
  }

  /** A vhost the metadata applier creates. */
  void createVhost(String name, VhostMetadata metadata) {
    VirtualHost vh = newVhost(name);
    vh.setMetadata(metadata);
    this.metadata.replicateTopology(vh);
    vhosts.put(name, vh);
  }

  /** A vhost the metadata applier deletes: its connections closed, its entities and access rules gone. */
  void removeVhost(VirtualHost vh) {
    String name = vh.name();
    vhosts.remove(name);
    connections.closeVhost(name);
    vh.deleteAll();
    stats.retire(vh.stats(), vh.messageTotals());
    users.clearVhost(name);
    policies.clearVhost(name);
    parameters.clearVhost(name);
  }

  /**
   * rabbit_vhost:put_vhost (the management API's PUT and definitions import): creates the vhost,
   * granting full permissions to {@code actingUser} if that is a user, or updates its description
   * and tags (and its default queue type when one is given); then turns tracing on or off if
   * asked. Returns whether it was created.
   */
  public synchronized boolean putVhost(String name, String description, List<String> tags,
      @Nullable String defaultQueueType, @Nullable Boolean tracing, @Nullable String actingUser) {
    String dqt = BrokerVhosts.queueType(defaultQueueType);
    VirtualHost vh = vhosts.get(name);
    boolean created = vh == null;
    if (created) {
      addVhost(name, new VhostMetadata(description, tags, dqt == null ? "" : dqt));
      if (actingUser != null && users.get(actingUser) != null) {
        setPermission(actingUser, name, Permission.ALL);
      }
    } else {
      VhostMetadata m = new VhostMetadata(description, tags, dqt == null ? vh.metadata().defaultQueueType() : dqt);
      commit(BrokerVhosts.record(name, m));
    }
    if (tracing != null) {
      setTracing(name, tracing);
    }
    return created;
  }

  /**
   * rabbitmqctl trace_on / trace_off: the vhost's firehose (RabbitMQ's rabbit_trace start/stop), for
   * this run only. Returns false if it was already in that state; 404 for an unknown vhost.
   */
  public boolean setTracing(String vhost, boolean on) {
    VirtualHost vh = vhosts.get(vhost);
    if (vh == null) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no vhost '%s'", vhost);
    }
    return on ? vh.firehose().start(pids().node()) : vh.firehose().stop();
  }

  public synchronized void deleteVhost(String name) {
    commit(Records.vhostDeleted(name));
  }

  public synchronized void addUser(String name, String password, List<String> tags) {
    User u = new User(name, io.warrenmq.broker.auth.PasswordHash.hash(password), tags);
    commit(Records.user(u).with(MetadataApplier.IF_ABSENT, true));
  }

  public synchronized void changePassword(String name, String password) {
    User u = requireUser(name);
    putUser(u.withPassword(io.warrenmq.broker.auth.PasswordHash.hash(password),
        io.warrenmq.broker.auth.PasswordHash.Algorithm.SHA256));
  }

  public synchronized void setUserTags(String name, List<String> tags) {
    User u = requireUser(name);
    putUser(u.withTags(tags));
  }

  private void putUser(User u) {
    userOps.put(u);
  }

  private User requireUser(String name) {
    User u = users.get(name);
    if (u == null) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no user '%s'", name);
    }
    return u;
  }

  public synchronized void deleteUser(String name) {
    commit(Records.userDeleted(name));
  }

  public synchronized void setPermission(String user, String vhost, Permission p) {
    commit(Records.permission(user, vhost, p));
  }

  public synchronized void clearPermission(String user, String vhost) {
    commit(Records.permissionCleared(user, vhost));
  }

  /**
   * Sets the user's topic permission on an exchange of the vhost (which need not exist yet), as
   * rabbit_auth_backend_internal:set_topic_permissions: the user and the vhost must exist and the
   * patterns compile.
   */
  public synchronized void setTopicPermission(String user, String vhost, String exchange, String write, String read) {
    new TopicPermission(user, vhost, exchange, write, read); // the patterns compile, or IllegalArgumentException
    commit(Records.topicPermission(user, vhost, exchange, write, read));
  }

  /**
   * Clears the user's topic permission on {@code exchange} in the vhost, or all of them there when
   * {@code exchange} is null; nothing to clear is no error (rabbit_db_user clear_topic_permissions).
   */
  public synchronized void clearTopicPermissions(String user, String vhost, @Nullable String exchange) {
    List<String> exchanges = exchange != null ? List.of(exchange) : users.topicPermissions().exchangesOf(user, vhost);
    for (String x : exchanges) {
      commit(Records.topicPermissionCleared(user, vhost, x));
    }
  }

  // ---------------------------------------------------------------- runtime parameters and limits

  /** The stored runtime parameters (vhost limits, global parameters); change them through {@link #parameterAdmin()}. */
  public RuntimeParameters runtimeParameters() {
    return parameters;
  }

  /** Runtime parameters, global parameters and vhost limits: set, cleared and listed as RabbitMQ does. */
  public ParameterAdmin parameterAdmin() {
    return parameterOps;
  }

  /** Users as the management API and definitions put them, and user limits. */
  public UserAdmin userAdmin() {
    return userOps;
  }

  /** The cluster's name: the global parameter cluster_name, else the node's name (rabbit_nodes). */
  public String clusterName() {
    return parameterOps.clusterName();
  }

  /** The vhost and user limits checked at connection.open and channel.open. */
  public ConnectionLimits connectionLimits() {
    return connectionLimits;
  }

  // ---------------------------------------------------------------- shutdown

  /** Stops every vhost's queues, forces what is pending and closes the logs. */
  @Override
  public synchronized void close() throws IOException {
    timers.shutdownNow();
    blocking.shutdown();
    try {
      if (!blocking.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
        log.warn("background disk work still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (VirtualHost vh : vhosts.values()) {
      vh.close();
    }
    if (committer != null) {
      committer.close();
    }
    if (definitions != null) {
      definitions.force();
      definitions.close();
    }
    if (lockChannel != null) {
      lockChannel.close();
      lockChannel = null;
    }
  }
}
