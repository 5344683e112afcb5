package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.definitions.DefinitionStore;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Destination;
import io.warrenmq.broker.limits.LimitChecks;
import io.warrenmq.broker.limits.Limits;
import io.warrenmq.broker.queue.ClassicQueue;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueArguments;
import io.warrenmq.broker.queue.QueueLink;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.queue.QuorumQueues;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.queue.RemoteQueue;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.broker.stats.VhostStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queues of one vhost and its direct reply-to pseudo-queues: lookups with the exclusive-access
 * check, queue.declare (active and passive) and queue.delete with RabbitMQ's checks and texts,
 * auto-delete, x-expires and exclusive-queue removal, and recovery from the definitions. Removing
 * a queue removes the bindings to it, which may auto-delete their exchanges (through the
 * {@link ExchangeRegistry}). How a queue is opened is the {@link QueueFactory}'s.
 *
 * <p>Threading: lookups are lock-free (concurrent maps) and serve routing. Every mutation runs
 * under the vhost's lock, shared with the {@link ExchangeRegistry} and {@link Bindings}: the
 * operations take it, and the methods documented "under lock" expect it held. Lock order: vhost
 * lock, then a queue's lock, never the reverse.
 */
final class QueueRegistry {
  private static final Logger log = LoggerFactory.getLogger(QueueRegistry.class);

  private final String vhost;
  private final ReentrantLock lock;
  private final DefinitionStore definitions;
  private final BindingIndex index;
  private final ExchangeRegistry exchanges;
  private final QueueFactory factory;
  private final Executor blocking;
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();
  /**
   * The same queues in {@link NameOrder}, kept beside the hash map (which routing reads) so that
   * listings page through them without sorting: O(log n) per declare and delete, 36 bytes of heap
   * per queue.
   */
  private final ConcurrentSkipListMap<String, Queue> sorted = new ConcurrentSkipListMap<>(NameOrder.INSTANCE);
  private final Supplier<Limits> limits;
  private final VhostStats stats;
  /** In a cluster every queue has a definitions record with its home node (see ExchangeRegistry). */
  private volatile boolean clustered;
  /** How the cluster reaches the queues of other nodes; null until this node is in a cluster. */
  private volatile @Nullable QueueLink link;
  private volatile @Nullable QuorumQueues quorum;

  /**
   * @param lock the vhost's lock, guarding every topology mutation
   * @param index the vhost's bindings by destination (guarded by {@code lock})
   * @param exchanges where the auto-delete cascade of a removed queue's bindings goes
   * @param blocking an executor whose threads may take the vhost's lock (x-expires removal)
   * @param limits the vhost's limits (max-queues is checked when a queue is created)
   */
  QueueRegistry(
      String vhost,
      ReentrantLock lock,
      DefinitionStore definitions,
      BindingIndex index,
      ExchangeRegistry exchanges,
      QueueFactory factory,
      Executor blocking,
      Supplier<Limits> limits,
      VhostStats stats) {
    this.vhost = vhost;
    this.stats = stats;
    this.lock = lock;
    this.definitions = definitions;
    this.index = index;
    this.exchanges = exchanges;
    this.factory = factory;
    this.blocking = blocking;
    this.limits = limits;
  }

  // ---------------------------------------------------------------- lookups (lock-free)

  @Nullable Queue get(String n) {
    return queues.get(n);
  }

  /** The queue, checked for existence (404) and exclusive ownership (405). */
  Queue getOrDie(String n, Object connection) {
    Queue q = queues.get(n);
    if (q == null) {
      throw TopologyErrors.notFound(vhost, "queue", n);
    }
    ExclusiveAccess.check(q, connection);
    return q;
  }

  /** Every queue, by name ({@link NameOrder}), without sorting. */
  List<Queue> all() {
    return new ArrayList<>(sorted.values());
  }

  /** The queues in {@link NameOrder} (or reversed), a live view (weakly consistent), not a copy. */
  java.util.Collection<Queue> sortedView(boolean descending) {
    return java.util.Collections.unmodifiableCollection(descending ? sorted.descendingMap().values() : sorted.values());
  }

  /** How many queues there are. */
  int count() {
    return queues.size();
  }

  /** The directories of the live queues' stores. */
  Set<Path> directories() {
    Set<Path> out = new HashSet<>();
    for (Queue q : queues.values()) {
      if (q instanceof ClassicQueue c) {
        out.add(c.directory().getFileName());
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- declare

  /**
   * queue.declare of {@code spec.name()}; {@code serverNamed} says the name was generated for
   * this declaration (and so may carry the reserved amq. prefix). Exclusive queues are never
   * durable (RabbitMQ: durable = durable and not exclusive).
   */
  QueueDeclareResult declare(QueueSpec requested, boolean serverNamed, Object connection) {
    QueueSpec spec = requested;
    if (spec.exclusive() && spec.durable()) {
      spec = new QueueSpec(spec.vhost(), spec.name(), false, true, spec.autoDelete(), spec.arguments());
    }
    if (!serverNamed) {
      // RabbitMQ checks the prefix before looking the queue up: an existing amq.gen- queue too
      TopologyErrors.checkNotReserved("queue", spec.name());
    }
    // rabbit_channel declare: queue_declared after the name and permission checks, queue_created if new
    stats.queueDeclared();
    lock.lock();
    try {
      QueueDeclareResult again = redeclare(spec, connection);
      if (again != null) {
        return again;
      }
      return new QueueDeclareResult(create(spec, connection, null, null, null), 0, 0, true);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The declaration of an existing queue: its exclusivity and equivalence checked, its x-expires
   * timer restarted; null if there is no such queue. Exclusive queues are never durable.
   */
  @Nullable QueueDeclareResult redeclare(QueueSpec requested, Object connection) {
    QueueSpec spec = requested;
    if (spec.exclusive() && spec.durable()) {
      spec = new QueueSpec(spec.vhost(), spec.name(), false, true, spec.autoDelete(), spec.arguments());
    }
    Queue existing = queues.get(spec.name());
    if (existing == null) {
      return null;
    }
    ExclusiveAccess.checkStrict(existing, spec, connection);
    QueueArguments.assertEquivalent(existing.spec(), spec);
    if (existing instanceof ClassicQueue c) {
      c.touch();
    }
    return new QueueDeclareResult(existing, existing.messageCount(), existing.consumerCount(), false);
  }

  /** {@link #redeclare} under the vhost's lock. */
  @Nullable QueueDeclareResult redeclareLocked(QueueSpec spec, Object connection) {
    lock.lock();
    try {
      return redeclare(spec, connection);
    } finally {
      lock.unlock();
    }
  }

  /** Counts a queue.declare (RabbitMQ's queue_declared), for the declarations a cluster commits. */
  void countDeclared() {
    stats.queueDeclared();
  }

  /** queue.declare with passive=true: 404 if missing, 405 if exclusive to another connection. */
  QueueDeclareResult declarePassive(String n, Object connection) {
    Queue q = getOrDie(n, connection);
    if (q instanceof ClassicQueue c) {
      c.touch(); // RabbitMQ's stat restarts the x-expires timer, passive or not
    }
    return new QueueDeclareResult(q, q.messageCount(), q.consumerCount(), false);
  }

  /**
   * Under lock: a new queue, checked, registered and recorded. On a single node ({@code home}
   * null) its store is opened here and it is recorded if durable; in a cluster every queue is
   * recorded with its home node, and it is opened here only if that is {@code self}, else it is a
   * {@link RemoteQueue}. An exclusive queue is owned by {@code owner}.
   */
  private Queue create(QueueSpec spec, @Nullable Object owner, @Nullable String home, @Nullable String self,
      @Nullable FieldTable record) {
    QueueArguments.validate(spec);
    LimitChecks.vhostQueues(limits.get(), queues.size(), vhost, spec.name());
    Queue q;
    String dir = "";
    QuorumQueues qq = quorum;
    if (qq != null && record != null && QuorumQueues.requested(spec)) {
      q = qq.open(spec, record, factory.host(), factory.effectiveOf(spec, Policy.Kind.QUORUM_QUEUE));
      queues.put(spec.name(), q);
      sorted.put(spec.name(), q);
      definitions.write(Records.queue(spec, dir, home).with("members", record.get("members"))
          .with("group", record.get("group")));
      log.debug("declared quorum {}", spec.resource());
      stats.queueCreated();
      return q;
    }
    if (home == null || home.equals(self)) {
      dir = DirNames.fresh(spec.name());
      q = open(spec, spec.exclusive() ? owner : null, dir);
    } else {
      q = new RemoteQueue(spec, home, this::link);
      queues.put(spec.name(), q);
      sorted.put(spec.name(), q);
    }
    if (home != null || spec.durable()) {
      definitions.write(Records.queue(spec, dir, home));
    }
    log.debug("declared {}{}", spec.resource(), home == null ? "" : " on node " + home);
    stats.queueCreated();
    return q;
  }

  /** Under lock: opens the queue's store and registers it. */
  private Queue open(QueueSpec spec, @Nullable Object owner, String dirName) {
    Queue q = factory.open(spec, owner, dirName);
    queues.put(spec.name(), q);
    sorted.put(spec.name(), q);
    return q;
  }

  /** Reopens a durable queue's store from disk, in {@code dirName} under the vhost's queue directory. */
  Queue restore(QueueSpec spec, String dirName) {
    lock.lock();
    try {
      return open(spec, null, dirName.isEmpty() ? DirNames.of(spec.name()) : dirName);
    } finally {
      lock.unlock();
    }
  }

  /** This node's quorum queues (in a cluster). */
  void setQuorum(QuorumQueues q) {
    quorum = q;
  }

  /** Whether {@code spec} is a quorum queue here (a cluster node, x-queue-type quorum). */
  boolean quorum(QueueSpec spec) {
    return quorum != null && QuorumQueues.requested(spec);
  }

  /** The members and group of a new quorum queue declared on this node. */
  java.util.Map<String, Object> placeQuorum(QueueSpec spec) {
    QuorumQueues q = quorum;
    if (q == null) {
      throw new IllegalStateException("not a cluster node");
    }
    return q.place(spec);
  }

  /** Reopens a quorum queue from its definition record. */
  Queue restoreQuorum(QueueSpec spec, FieldTable record) {
    QuorumQueues qq = quorum;
    if (qq == null) {
      throw new IllegalStateException("quorum " + spec.resource() + " on a node that is not in a cluster");
    }
    lock.lock();
    try {
      Queue q = qq.open(spec, record, factory.host(), factory.effectiveOf(spec, Policy.Kind.QUORUM_QUEUE));
      queues.put(spec.name(), q);
      sorted.put(spec.name(), q);
      return q;
    } finally {
      lock.unlock();
    }
  }

  /** Recreates the definition of a queue whose messages live on {@code node}. */
  Queue restoreRemote(QueueSpec spec, String node) {
    lock.lock();
    try {
      RemoteQueue q = new RemoteQueue(spec, node, this::link);
      queues.put(spec.name(), q);
      sorted.put(spec.name(), q);
      return q;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- the metadata log's changes

  /** From now on every queue gets a definitions record with its home node (this node is in a cluster). */
  void setClustered(@Nullable QueueLink link) {
    this.link = link;
    clustered = true;
  }

  private @Nullable QueueLink link() {
    return link;
  }

  /**
   * A queue.declare the metadata log commits, applied on every node alike: an existing queue must
   * be equivalent (its exclusivity is checked by the node that asked); a new one is opened here if
   * {@code home} is {@code self}, owned by {@code owner} if exclusive, and is a {@link RemoteQueue}
   * elsewhere. Returns whether it was created.
   */
  boolean applyDeclare(QueueSpec spec, String home, String self, @Nullable Object owner, FieldTable record) {
    lock.lock();
    try {
      Queue existing = queues.get(spec.name());
      if (existing != null) {
        QueueArguments.assertEquivalent(existing.spec(), spec);
        QuorumQueues qq = quorum;
        if (qq != null && Boolean.TRUE.equals(record.getBoolean("membersChange")) && qq.changeMembers(existing, record)) {
          definitions.write(Records.queue(existing.spec(), "", home).with("members", record.get("members"))
              .with("group", record.get("group")));
        }
        return false;
      }
      create(spec, owner, home, self, record);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** A queue.delete the metadata log commits: the queue goes if it is still there, unchecked. */
  void applyDelete(String n) {
    lock.lock();
    try {
      Queue q = queues.get(n);
      if (q != null) {
        remove(q);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The queues {@code connection} owns (exclusive ones), whose deletion a cluster node replicates. */
  List<Queue> ownedBy(Object connection) {
    List<Queue> out = new ArrayList<>();
    for (Queue q : queues.values()) {
      if (q.exclusiveOwner() == connection) {
        out.add(q);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- delete

  /** queue.delete; deleting a missing queue answers 0 (RabbitMQ). Returns the ready count. */
  long delete(String n, boolean ifUnused, boolean ifEmpty, Object connection) {
    lock.lock();
    try {
      Queue q = queues.get(n);
      if (q == null) {
        return 0;
      }
      ExclusiveAccess.check(q, connection);
      if (ifUnused && q.consumerCount() > 0) {
        throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "%s in use", q.spec().resource());
      }
      long count = q.messageCount();
      if (ifEmpty && count > 0) {
        throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "%s not empty", q.spec().resource());
      }
      remove(q);
      return count;
    } finally {
      lock.unlock();
    }
  }

  /** Under lock: removes the queue and the bindings to it, cascading auto-deletes. */
  private void remove(Queue q) {
    if (!queues.remove(q.name(), q)) {
      return;
    }
    sorted.remove(q.name(), q);
    List<Binding> removed = index.removeAllTo(new Destination.ToQueue(q));
    q.delete();
    deleted(q);
    if (q.spec().durable() || clustered) {
      definitions.write(Records.queueDeleted(vhost, q.name()));
    }
    log.debug("deleted {}", q.spec().resource());
    exchanges.autoDeleteSources(removed);
  }

  /** A queue is gone: its disk counts stay in the vhost's totals (rabbit_core_metrics queue_deleted). */
  private void deleted(Queue q) {
    stats.queueDeleted();
    MessageCounts c = q.counts();
    if (c != null) {
      stats.retireQueue(c);
    }
  }

  /** Every queue, unordered and without a copy, for statistics. */
  void forEach(Consumer<Queue> action) {
    queues.values().forEach(action);
  }

  /** Deletes {@code q} if it is still registered (auto-delete after its last consumer left). */
  void autoDelete(Queue q) {
    lock.lock();
    try {
      if (queues.get(q.name()) == q && q.consumerCount() == 0) {
        remove(q);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The queue's x-expires fired: it goes, off the caller's thread, if still unused. */
  void expired(Queue queue) {
    blocking.execute(() -> autoDelete(queue));
  }

  /** A connection closed: its exclusive queues go (AMQP 0-9-1 queue.declare exclusive). */
  void connectionClosed(Object connection) {
    lock.lock();
    try {
      for (Queue q : List.copyOf(queues.values())) {
        if (q.exclusiveOwner() == connection) {
          remove(q);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- policies and lifecycle

  /** Policies changed: every queue takes its new effective settings. */
  void applyPolicies() {
    for (Queue q : queues.values()) {
      if (q instanceof ClassicQueue c) {
        c.applySettings(factory.settingsOf(q.spec()));
      } else {
        q.policyChanged(factory.effectiveOf(q.spec(), Policy.Kind.ofQueue(q.type())));
      }
    }
  }

  /** Under lock, at shutdown: closes every queue, keeping durable data. */
  void closeAll() {
    queues.values().forEach(Queue::close);
  }

  /** Under lock, when the vhost is deleted: every queue goes, with its files. */
  void deleteAll() {
    for (Queue q : List.copyOf(queues.values())) {
      queues.remove(q.name());
      sorted.remove(q.name(), q);
      q.delete();
      deleted(q);
    }
  }
}
