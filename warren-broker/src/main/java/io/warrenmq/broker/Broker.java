package io.warrenmq.broker;

import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.broker.definitions.DefinitionModel;
import io.warrenmq.broker.definitions.DefinitionStore;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.view.ConnectionRegistry;
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
  private final Policies policies = new Policies();
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
    restore(model);
    definitions.rewrite(model.snapshot());
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
    model.apply(Records.vhost(options.defaultVhost()));
    model.apply(Records.user(u));
    model.apply(Records.permission(u.name(), options.defaultVhost(), Permission.ALL));
  }

  private void restore(DefinitionModel model) {
    for (FieldTable u : model.users()) {
      List<Object> tags = u.getArray("tags");
      users.put(new User(str(u, "name"), str(u, "hash"),
          tags == null ? List.of() : tags.stream().map(String::valueOf).toList()));
    }
    for (FieldTable p : model.permissions()) {
      users.setPermission(str(p, "user"), str(p, "vhost"),
          new Permission(str(p, "configure"), str(p, "write"), str(p, "read")));
    }
    for (FieldTable p : model.policies()) {
      try {
        policies.put(policyOf(p));
      } catch (IllegalArgumentException e) {
        log.warn("ignoring stored policy {}: {}", str(p, "name"), e.getMessage());
      }
    }
    for (String v : model.vhosts()) {
      vhosts.put(v, newVhost(v));
    }
    for (FieldTable x : model.exchanges()) {
      VirtualHost vh = vhosts.get(str(x, "vhost"));
      if (vh != null) {
        vh.restoreExchange(new ExchangeSpec(vh.name(), str(x, "name"), str(x, "xtype"), true,
            bool(x, "autoDelete"), bool(x, "internal"), table(x, "arguments")), str(x, "dir"));
      }
    }
    for (FieldTable q : model.queues()) {
      VirtualHost vh = vhosts.get(str(q, "vhost"));
      if (vh != null) {
        Queue queue = vh.restoreQueue(new QueueSpec(vh.name(), str(q, "name"), true, false,
            bool(q, "autoDelete"), table(q, "arguments")), str(q, "dir"));
        logRecovery(queue);
      }
    }
    for (VirtualHost vh : vhosts.values()) {
      OrphanFiles.removeQueueDirectories(vh);
    }
    OrphanFiles.removeVhostDirectories(options.dataDir().resolve("vhosts"), vhosts.values());
    for (FieldTable b : model.bindings()) {
      VirtualHost vh = vhosts.get(str(b, "vhost"));
      if (vh != null) {
        vh.restoreBinding(str(b, "source"), str(b, "destKind"), str(b, "dest"), str(b, "key"), table(b, "arguments"));
      }
    }
  }

  private static void logRecovery(io.warrenmq.store.recovery.RecoveryReport definitionsLog) {
    if (definitionsLog.truncated()) {
      log.warn("definitions log: cut a torn tail of {} bytes; changes written after it are lost ({} records kept)",
          definitionsLog.bytesTruncated(), definitionsLog.recordsRecovered());
    } else {
      log.info("definitions log: {} records", definitionsLog.recordsRecovered());
    }
  }

  private static void logRecovery(Queue queue) {
    if (queue instanceof io.warrenmq.broker.queue.ClassicQueue c) {
      var r = c.recoveryReport();
      if (r.truncated()) {
        log.warn("recovered {} with {} messages; cut a torn tail: {}", queue.spec().resource(),
            queue.messageCount(), r);
      } else if (!c.recoveredClean() && r.recordsRecovered() > 0) {
        log.info("recovered {} with {} messages after an unclean shutdown: each counts as delivered once ({})",
            queue.spec().resource(), queue.messageCount(), r);
      } else {
        log.info("recovered {} with {} messages ({})", queue.spec().resource(), queue.messageCount(), r);
      }
    } else {
      log.info("recovered {} with {} messages", queue.spec().resource(), queue.messageCount());
    }
  }

  private VirtualHost newVhost(String name) {
    Path base = options.dataDir();
    String id = DirNames.of(name);
    return new VirtualHost(name, base.resolve("vhosts").resolve(id).resolve("queues"),
        base.resolve("transient").resolve(id), definitions(),
        new StoreOptions(options.segmentCapacity(), true), alloc, blocking, timers, policies);
  }

  private static String str(FieldTable t, String key) {
    String s = t.getString(key);
    return s == null ? "" : s;
  }

  private static boolean bool(FieldTable t, String key) {
    return Boolean.TRUE.equals(t.getBoolean(key));
  }

  private static FieldTable table(FieldTable t, String key) {
    FieldTable v = t.getTable(key);
    return v == null ? FieldTable.EMPTY : v;
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

  private static Policy policyOf(FieldTable p) {
    Long prio = p.getLong("priority");
    return new Policy(str(p, "vhost"), str(p, "name"), str(p, "pattern"), Policy.ApplyTo.parse(str(p, "applyTo")),
        prio == null ? 0 : prio.intValue(), table(p, "definition"), bool(p, "operator"));
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
    l.sort(Comparator.comparing(VirtualHost::name));
    return l;
  }

  // ---------------------------------------------------------------- administration

  public synchronized void addVhost(String name) {
    if (vhosts.containsKey(name)) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "vhost '%s' already exists", name);
    }
    definitions().write(Records.vhost(name));
    vhosts.put(name, newVhost(name));
    log.info("added vhost '{}'", name);
  }

  public synchronized void deleteVhost(String name) {
    VirtualHost vh = vhosts.remove(name);
    if (vh == null) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no vhost '%s'", name);
    }
    definitions().write(Records.vhostDeleted(name));
    connections.closeVhost(name);
    vh.deleteAll();
    users.clearVhost(name);
    policies.clearVhost(name);
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
    putUser(new User(name, io.warrenmq.broker.auth.PasswordHash.hash(password), u.tags()));
  }

  public synchronized void setUserTags(String name, List<String> tags) {
    User u = requireUser(name);
    putUser(new User(name, u.passwordHash(), tags));
  }

  private void putUser(User u) {
    definitions().write(Records.user(u));
    users.put(u);
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
