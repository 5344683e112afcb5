package io.warrenmq.broker.vhost;

import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.definitions.DefinitionStore;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.DelayedMessageExchange;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.exchange.RouteCollector;
import io.warrenmq.broker.limits.Limits;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.policy.Policies;
import io.warrenmq.broker.queue.DeadLetter;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueHost;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.queue.ReplyQueue;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.broker.stats.VhostStats;
import io.warrenmq.store.queue.StoreOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A virtual host: its exchanges, queues and bindings, the operations on them with RabbitMQ's
 * checks and reply texts, and routing. Permission checks are the caller's (the AMQP channel).
 *
 * <p>This class is the vhost's face to the rest of the broker and to the server; the work is
 * done by its parts: the {@link ExchangeRegistry} (made by the {@link ExchangeFactory}), the
 * {@link QueueRegistry} (made by the {@link QueueFactory}), the {@link Bindings} and the
 * {@link Router}. It is also the {@link QueueHost} its queues call back into.
 *
 * <p>Threading: lookups and routing are lock-free (concurrent maps); every mutation of the
 * topology runs under {@link #lock}, which the parts share. Lock order: vhost lock, then a queue's
 * lock, never the reverse.
 */
public final class VirtualHost implements QueueHost {
  private final String name;
  private final Path durableDir;
  private final Executor blocking;
  private final ScheduledExecutorService timers;
  private final DeadLetterPublisher deadLetters;
  /** Guards every mutation of the topology, in all the parts. */
  private final ReentrantLock lock = new ReentrantLock();
  private final ExchangeRegistry exchanges;
  private final QueueRegistry queues;
  private final Bindings bindings;
  private final Router router;
  private final Firehose firehose;
  private volatile VhostMetadata metadata = VhostMetadata.NONE;
  /** The vhost-limits parameter's values (max-connections, max-queues), read at open and declare. */
  private volatile Limits limits = Limits.NONE;
  private final VhostStats stats = new VhostStats();
  /** How the topology is changed: here at once, or through a cluster's metadata log. */
  private volatile TopologyChanges changes;
  private final VhostClustering clustering;
  private final ByteBufAllocator alloc;
  /** The direct reply-to pseudo-queues of the channels consuming from amq.rabbitmq.reply-to, by name. */
  private final java.util.Map<String, ReplyQueue> replyQueues = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param durableDir where durable queues keep their segment files
   * @param transientDir where non-durable queues keep theirs (emptied at every boot)
   * @param blocking an executor whose threads may block on disk (removal of deleted queues' files)
   * @param timers the broker's timer thread (TTL, retries, x-expires)
   * @param policies the broker's policies, which the vhost applies to its queues and exchanges
   */
  public VirtualHost(
      String name,
      Path durableDir,
      Path transientDir,
      DefinitionStore definitions,
      StoreOptions storeOptions,
      ByteBufAllocator alloc,
      Executor blocking,
      ScheduledExecutorService timers,
      Policies policies) {
    this.name = name;
    this.alloc = alloc;
    this.durableDir = durableDir;
    this.blocking = blocking;
    this.timers = timers;
    this.deadLetters = new DeadLetterPublisher(this, alloc);
    BindingIndex index = new BindingIndex();
    ExchangeFactory exchangeFactory = new ExchangeFactory(
        name, durableDir, transientDir, storeOptions, alloc, blocking, timers, policies, this::routeDue);
    this.exchanges = new ExchangeRegistry(name, lock, definitions, index, exchangeFactory, this::queueForDefaultExchange);
    QueueFactory queueFactory = new QueueFactory(name, durableDir, transientDir, storeOptions, alloc, policies, this);
    this.queues = new QueueRegistry(name, lock, definitions, index, exchanges, queueFactory, blocking,
        this::limits, stats);
    this.bindings = new Bindings(name, lock, definitions, index, exchanges, queues);
    this.changes = new LocalTopology(exchanges, queues, bindings);
    this.clustering = new VhostClustering(name, exchanges, queues, bindings, blocking,
        () -> metadata().defaultQueueType(), c -> changes = c);
    this.router = new Router(exchanges);
    this.firehose = new Firehose(name, exchanges, router, alloc);
  }

  public String name() {
    return name;
  }

  public VhostMetadata metadata() {
    return metadata;
  }

  /** Sets the metadata in memory; the caller (the broker) persists it. */
  public void setMetadata(VhostMetadata m) {
    metadata = m;
  }

  public Limits limits() {
    return limits;
  }

  /** The vhost-limits parameter changed (or was restored). */
  public void setLimits(Limits l) {
    limits = l;
  }

  /** The vhost's message statistics: its channels' and connections' counts, and queue churn. */
  public VhostStats stats() {
    return stats;
  }

  /** Calls {@code action} for every queue, in no order and without copying the registry. */
  public void forEachQueue(java.util.function.Consumer<Queue> action) {
    queues.forEach(action);
  }

  /**
   * The vhost's message totals, indexed as {@link MessageCounts}: its channels' counters (open
   * and closed ones) and its queues' disk reads and writes (live and deleted ones).
   */
  public long[] messageTotals() {
    long[] sum = new long[MessageCounts.SIZE];
    stats.addTo(sum);
    queues.forEach(q -> {
      MessageCounts c = q.counts();
      if (c != null) {
        sum[MessageCounts.DISK_READS] += c.get(MessageCounts.DISK_READS);
        sum[MessageCounts.DISK_WRITES] += c.get(MessageCounts.DISK_WRITES);
      }
    });
    return sum;
  }

  // ---------------------------------------------------------------- lookups

  /** The exchange named {@code n} ("" is the default exchange), or null. */
  public @Nullable Exchange exchange(String n) {
    return exchanges.get(n);
  }

  public Exchange exchangeOrDie(String n) {
    return exchanges.getOrDie(n);
  }

  public @Nullable Queue queue(String n) {
    return queues.get(n);
  }

  /** What the default exchange routes to: a queue by name, or a direct reply-to consumer. */
  private @Nullable Queue queueForDefaultExchange(String n) {
    Queue q = queues.get(n);
    return q == null && ReplyQueue.isReplyName(n) ? replyQueues.get(n) : q;
  }

  /** A new direct reply-to pseudo-queue for one channel's reply consumer. */
  public ReplyQueue createReplyQueue() {
    ReplyQueue q = new ReplyQueue(name, alloc);
    replyQueues.put(q.name(), q);
    return q;
  }

  /** The reply consumer went away: its name routes nowhere from now on. */
  public void removeReplyQueue(ReplyQueue q) {
    replyQueues.remove(q.name(), q);
  }

  /** Whether a direct reply-to name has a live consumer (passive declare of such a name). */
  public boolean replyQueueExists(String n) {
    return replyQueues.containsKey(n);
  }

  /** The queue, checked for existence (404) and exclusive ownership (405). */
  public Queue queueOrDie(String n, Object connection) {
    return queues.getOrDie(n, connection);
  }

  public List<Exchange> exchanges() {
    return exchanges.all();
  }

  public List<Queue> queues() {
    return queues.all();
  }

  public List<Binding> bindings() {
    return bindings.all();
  }

  /**
   * The queues by name (or in reverse), a live view of the sorted index: no copy, weakly
   * consistent (listings page through it).
   */
  public java.util.Collection<Queue> queuesSorted(boolean descending) {
    return queues.sortedView(descending);
  }

  /** How many queues the vhost has (cheap: no listing). */
  public int queueCount() {
    return queues.count();
  }

  /** How many exchanges the vhost has, the default exchange included. */
  public int exchangeCount() {
    return exchanges.count();
  }

  // ---------------------------------------------------------------- exchanges

  /** exchange.declare with passive=false: creates or checks equivalence. */
  public Exchange declareExchange(ExchangeSpec spec) {
    return changes.declareExchange(spec);
  }

  /**
   * RabbitMQ 3.13.7 (rabbit_exchange:check_type) answers an unknown exchange type with a channel
   * error 406 PRECONDITION_FAILED, before any other check of exchange.declare.
   */
  public static void checkExchangeType(String type) {
    ExchangeFactory.checkType(type);
  }

  /** exchange.declare with passive=true. */
  public Exchange declareExchangePassive(String n) {
    return exchanges.declarePassive(n);
  }

  /** exchange.delete; deleting a missing exchange is not an error (RabbitMQ 3.x). */
  public void deleteExchange(String n, boolean ifUnused) {
    changes.deleteExchange(n, ifUnused);
  }

  // ---------------------------------------------------------------- queues

  /**
   * queue.declare with passive=false. An empty name gets a server-generated one. Exclusive queues
   * are never durable (RabbitMQ: durable = durable and not exclusive).
   */
  public QueueDeclareResult declareQueue(QueueSpec requested, Object connection) {
    QueueSpec spec = requested;
    boolean serverNamed = spec.name().isEmpty();
    if (serverNamed) {
      spec = QueueFactory.withName(spec, generateName());
    }
    return declareQueue(spec, serverNamed, connection);
  }

  /**
   * queue.declare of {@code spec.name()}; {@code serverNamed} says the name was generated for
   * this declaration (and so may carry the reserved amq. prefix).
   */
  public QueueDeclareResult declareQueue(QueueSpec requested, boolean serverNamed, Object connection) {
    return changes.declareQueue(requested, serverNamed, connection);
  }

  /** queue.declare with passive=true: 404 if missing, 405 if exclusive to another connection. */
  public QueueDeclareResult declareQueuePassive(String n, Object connection) {
    return queues.declarePassive(n, connection);
  }

  /** RabbitMQ's server-named queues: "amq.gen-" and 22 characters of url-safe base64. */
  public static String generateName() {
    return QueueFactory.generateName();
  }

  /** queue.delete; deleting a missing queue answers 0 (RabbitMQ). Returns the ready count. */
  public long deleteQueue(String n, boolean ifUnused, boolean ifEmpty, Object connection) {
    return changes.deleteQueue(n, ifUnused, ifEmpty, connection);
  }

  /** Deletes {@code q} if it is still registered (auto-delete after its last consumer left). */
  public void autoDelete(Queue q) {
    changes.autoDelete(q);
  }

  public long purgeQueue(String n, Object connection) {
    return queueOrDie(n, connection).purge();
  }

  /**
   * Moves at most {@code max} ready messages of queue {@code from} to queue {@code to}, oldest
   * first, as {@link MessageMover} does it (blocking); returns how many moved.
   */
  public long moveMessages(String from, String to, long max, Object connection) {
    return MessageMover.move(queueOrDie(from, connection), queueOrDie(to, connection), max);
  }

  /** A connection closed: its exclusive queues go (AMQP 0-9-1 queue.declare exclusive). */
  public void connectionClosed(Object connection) {
    changes.connectionClosed(connection);
  }

  /** Policies changed: every queue and exchange takes its new effective settings. */
  public void applyPolicies() {
    queues.applyPolicies();
    exchanges.applyPolicies();
  }

  // ---------------------------------------------------------------- QueueHost

  @Override
  public void deadLetter(Queue from, String exchange, @Nullable String routingKey, List<DeadLetter> letters) {
    deadLetters.publish(from, exchange, routingKey, letters);
  }

  @Override
  public void expired(Queue queue) {
    changes.expired(queue);
  }

  @Override
  public ScheduledExecutorService timers() {
    return timers;
  }

  @Override
  public Executor blocking() {
    return blocking;
  }

  // ---------------------------------------------------------------- bindings

  public void bindQueue(String queue, String exchange, String key, FieldTable args, Object connection) {
    changes.queueBinding(true, true, queue, exchange, key, args, connection);
  }

  /**
   * queue.bind for an event loop: false (nothing done) if the binding is durable (its record goes
   * to the definitions log) or another topology change holds the vhost's lock (it may be doing
   * disk work); then call {@link #bindQueue} from a blocking thread.
   */
  public boolean tryBindQueue(String queue, String exchange, String key, FieldTable args, Object connection) {
    return changes.queueBinding(true, false, queue, exchange, key, args, connection);
  }

  public void unbindQueue(String queue, String exchange, String key, FieldTable args, Object connection) {
    changes.queueBinding(false, true, queue, exchange, key, args, connection);
  }

  public void bindExchange(String destination, String source, String key, FieldTable args) {
    changes.exchangeBinding(true, true, destination, source, key, args);
  }

  /** exchange.bind without waiting for the vhost's lock: as {@link #tryBindQueue}. */
  public boolean tryBindExchange(String destination, String source, String key, FieldTable args) {
    return changes.exchangeBinding(true, false, destination, source, key, args);
  }

  public void unbindExchange(String destination, String source, String key, FieldTable args) {
    changes.exchangeBinding(false, true, destination, source, key, args);
  }

  // ---------------------------------------------------------------- routing

  /** The exchange to publish to: 404 if missing, 403 if internal. */
  public Exchange exchangeForPublish(String n) {
    return router.exchangeForPublish(n);
  }

  /**
   * Routes {@code message} from {@code x} through exchange-to-exchange bindings (each exchange
   * visited once, so cycles end) and alternate exchanges, into {@code out} (cleared first).
   */
  public void route(Exchange x, Message message, RouteCollector out) {
    router.route(x, message, out);
  }

  /** The vhost's firehose tracer (trace_on / trace_off). */
  public Firehose firehose() {
    return firehose;
  }

  /** A delayed message of {@code x} is due (called by its store's timer). */
  private void routeDue(DelayedMessageExchange x, Message message) {
    router.routeDue(x, message);
  }

  // ---------------------------------------------------------------- recovery and lifecycle

  /** Recreates a durable exchange from the definitions, without writing them again. */
  public void restoreExchange(ExchangeSpec spec, String dir) {
    exchanges.restore(spec, dir);
  }

  /** Reopens a durable queue's store from disk, in {@code dirName} under the vhost's queue directory. */
  public Queue restoreQueue(QueueSpec spec, String dirName) {
    return queues.restore(spec, dirName);
  }

  /** Recreates a durable binding; false if an end is missing (the log is then stale). */
  public boolean restoreBinding(String source, String destKind, String dest, String key, FieldTable args) {
    return bindings.restore(source, destKind, dest, key, args);
  }

  /** What this vhost does as part of a cluster (its topology through the metadata log). */
  public VhostClustering clustering() {
    return clustering;
  }

  /** The directories of the live queues' stores. */
  public Set<Path> queueDirectories() {
    return queues.directories();
  }

  /** The directory under which durable queues keep their segment files. */
  public Path durableDirectory() {
    return durableDir;
  }

  /** Shutdown: closes every queue, keeping durable data. */
  public void close() {
    lock.lock();
    try {
      queues.closeAll();
      exchanges.closeAll();
    } finally {
      lock.unlock();
    }
  }

  /** The vhost is being deleted: every queue goes, with its files. */
  public void deleteAll() {
    lock.lock();
    try {
      queues.deleteAll();
      exchanges.deleteAll();
    } finally {
      lock.unlock();
    }
  }

  /** 403 for any operation on the default exchange but publishing to it. */
  public static AmqpException defaultExchangeRefused() {
    return TopologyErrors.defaultExchangeRefused();
  }
}
