package io.warrenmq.broker;

import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
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
  private final ConnectionRegistry connections = new ConnectionRegistry();
  private final BrokerStats stats = new BrokerStats();
  private final Pids pids = Pids.forThisNode();
  private final ResourceLimits resourceLimits = ResourceLimits.forThisMachine();
  private final ResourceAlarms alarms = new ResourceAlarms(pids.node());
  private final Policies policies = new Policies();
  private final RuntimeParameters parameters = new RuntimeParameters();
  private final ParameterAdmin parameterOps;
  private final UserAdmin userOps;
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
    this.users = new Users(options.loopbackUsers());
    this.parameterOps = new ParameterAdmin(this, parameters, this::definitions);
    this.userOps = new UserAdmin(this, users, this::definitions);
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
    new DefinitionRestore(users, policies, parameters, vhosts, this::newVhost, options.dataDir()).restore(model);
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
    return new VirtualHost(name, base.resolve("vhosts").resolve(id).resolve("queues"),
        base.resolve("transient").resolve(id), definitions(),
        new StoreOptions(options.segmentCapacity(), true), alloc, blocking, timers, policies);
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
    VirtualHost vh = vhosts.get(p.vhost());
    if (vh == null) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no vhost '%s'", p.vhost());
    }
    definitions().write(Records.policy(p));
    policies.put(p);
    vh.applyPolicies();
    log.info("set {} '{}' in vhost '{}': pattern {}, apply-to {}, priority {}, {}", p.operator() ? "operator policy" : "policy",
        p.name(), p.vhost(), p.pattern(), p.applyTo().label(), p.priority(), p.definition());
  }

  public synchronized void clearPolicy(String vhost, String name, boolean operator) {
    if (!policies.remove(vhost, name, operator)) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s '%s' in vhost '%s'",
          operator ? "operator policy" : "policy", name, vhost);
    }
    definitions().write(Records.policyDeleted(vhost, name, operator));
    VirtualHost vh = vhosts.get(vhost);
    if (vh != null) {
      vh.applyPolicies();
    }
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
    if (vhosts.containsKey(name)) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "vhost '%s' already exists", name);
    }
    BrokerVhosts.checkQueueType(metadata.defaultQueueType());
    definitions().write(BrokerVhosts.record(name, metadata));
    VirtualHost vh = newVhost(name);
    vh.setMetadata(metadata);
    vhosts.put(name, vh);
    log.info("added vhost '{}'", name);
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
      definitions().write(BrokerVhosts.record(name, m));
      vh.setMetadata(m);
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
    VirtualHost vh = vhosts.remove(name);
    if (vh == null) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no vhost '%s'", name);
    }
    definitions().write(Records.vhostDeleted(name));
    connections.closeVhost(name);
    vh.deleteAll();
    stats.retire(vh.stats(), vh.messageTotals());
    users.clearVhost(name);
    policies.clearVhost(name);
    parameters.clearVhost(name);
    log.info("deleted vhost '{}'", name);
  }

  public synchronized void addUser(String name, String password, List<String> tags) {
    if (users.get(name) != null) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "user '%s' already exists", name);
    }
    putUser(new User(name, io.warrenmq.broker.auth.PasswordHash.hash(password), tags));
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
    requireUser(name);
    definitions().write(Records.userDeleted(name));
    users.remove(name);
    connections.closeUser(name);
  }

  public synchronized void setPermission(String user, String vhost, Permission p) {
    requireUser(user);
    if (!vhosts.containsKey(vhost)) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no vhost '%s'", vhost);
    }
    definitions().write(Records.permission(user, vhost, p));
    users.setPermission(user, vhost, p);
  }

  public synchronized void clearPermission(String user, String vhost) {
    if (users.clearPermission(user, vhost)) {
      definitions().write(Records.permissionCleared(user, vhost));
    }
  }

  /**
   * Sets the user's topic permission on an exchange of the vhost (which need not exist yet), as
   * rabbit_auth_backend_internal:set_topic_permissions: the user and the vhost must exist and the
   * patterns compile.
   */
  public synchronized void setTopicPermission(String user, String vhost, String exchange, String write, String read) {
    requireUser(user);
    if (!vhosts.containsKey(vhost)) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no vhost '%s'", vhost);
    }
    TopicPermission p = new TopicPermission(user, vhost, exchange, write, read);
    definitions().write(Records.topicPermission(user, vhost, exchange, write, read));
    users.topicPermissions().put(user, vhost, p);
    log.info("set topic permissions on exchange '{}' for user '{}' in vhost '{}' to '{}', '{}'", exchange, user,
        vhost, write, read);
  }

  /**
   * Clears the user's topic permission on {@code exchange} in the vhost, or all of them there when
   * {@code exchange} is null; nothing to clear is no error (rabbit_db_user clear_topic_permissions).
   */
  public synchronized void clearTopicPermissions(String user, String vhost, @Nullable String exchange) {
    List<String> cleared = exchange == null
        ? users.topicPermissions().removeAll(user, vhost)
        : users.topicPermissions().remove(user, vhost, exchange) ? List.of(exchange) : List.of();
    for (String x : cleared) {
      definitions().write(Records.topicPermissionCleared(user, vhost, x));
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
