package io.warrenmq.broker.vhost;

import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.definitions.DefinitionStore;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Destination;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.exchange.RouteCollector;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.policy.EffectiveArguments;
import io.warrenmq.broker.policy.Policies;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.queue.ArgumentTypes;
import io.warrenmq.broker.queue.ClassicQueue;
import io.warrenmq.broker.queue.DelayedMessages;
import io.warrenmq.broker.exchange.DelayedMessageExchange;
import io.warrenmq.broker.exchange.ExchangeDeduplication;
import io.warrenmq.broker.queue.DeadLetter;
import io.warrenmq.broker.queue.QueueHost;
import io.warrenmq.broker.queue.QueueSettings;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueArguments;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.queue.ReplyQueue;
import io.warrenmq.store.queue.StoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual host: its exchanges, queues and bindings, the operations on them with RabbitMQ's
 * checks and reply texts, and routing. Permission checks are the caller's (the AMQP channel).
 *
 * <p>Threading: lookups and routing are lock-free (concurrent maps); every mutation of the
 * topology runs under {@link #lock}. Lock order: vhost lock, then a queue's lock, never the
 * reverse.
 */
public final class VirtualHost implements QueueHost {
  private static final Logger log = LoggerFactory.getLogger(VirtualHost.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String name;
  private final Path durableDir;
  private final Path transientDir;
  private final DefinitionStore definitions;
  private final StoreOptions storeOptions;
  private final ByteBufAllocator alloc;
  private final Executor blocking;
  private final ScheduledExecutorService timers;
  private final Policies policies;
  private final DeadLetterPublisher deadLetters;
  private final Map<String, Exchange> exchanges = new ConcurrentHashMap<>();
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();
  private final Map<String, ReplyQueue> replyQueues = new ConcurrentHashMap<>();
  private final Exchange defaultExchange;
  private final Object lock = new Object();
  private final BindingIndex bindings = new BindingIndex();

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
    this.blocking = blocking;
    this.timers = timers;
    this.policies = policies;
    this.deadLetters = new DeadLetterPublisher(this, alloc);
    this.durableDir = durableDir;
    this.transientDir = transientDir;
    this.definitions = definitions;
    this.storeOptions = storeOptions;
    this.alloc = alloc;
    this.defaultExchange = Exchange.defaultExchange(name, this::queueForDefaultExchange);
    for (String[] x : STANDARD_EXCHANGES) {
      ExchangeSpec spec =
          new ExchangeSpec(name, x[0], x[1], true, false, x.length > 2, FieldTable.EMPTY);
      exchanges.put(x[0], Exchange.create(spec));
    }
  }

  /** The amq.* exchanges every vhost has (AMQP 0-9-1 3.1.3 and RabbitMQ's amq.match, trace). */
  private static final String[][] STANDARD_EXCHANGES = {
    {"amq.direct", "direct"},
    {"amq.fanout", "fanout"},
    {"amq.topic", "topic"},
    {"amq.headers", "headers"},
    {"amq.match", "headers"},
    {"amq.rabbitmq.trace", "topic", "internal"},
  };

  public String name() {
    return name;
  }

  private String resource(String kind, String n) {
    return kind + " '" + n + "' in vhost '" + name + "'";
  }

  // ---------------------------------------------------------------- lookups

  /** The exchange named {@code n} ("" is the default exchange), or null. */
  public @Nullable Exchange exchange(String n) {
    return n.isEmpty() ? defaultExchange : exchanges.get(n);
  }

  public Exchange exchangeOrDie(String n) {
    Exchange x = exchange(n);
    if (x == null) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s", resource("exchange", n));
    }
    return x;
  }

  public @Nullable Queue queue(String n) {
    return queues.get(n);
  }

  /** What the default exchange routes to: a queue by name, or a direct reply-to consumer. */
  private @Nullable Queue queueForDefaultExchange(String n) {
    Queue q = queues.get(n);
    if (q == null && ReplyQueue.isReplyName(n)) {
      return replyQueues.get(n);
    }
    return q;
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
    Queue q = queues.get(n);
    if (q == null) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s", resource("queue", n));
    }
    checkExclusive(q, connection);
    return q;
  }

  private void checkExclusive(Queue q, Object connection) {
    Object owner = q.exclusiveOwner();
    if (owner != null && owner != connection) {
      throw locked(q);
    }
  }

  /**
   * A redeclaration must also match the exclusivity (RabbitMQ's check_exclusive_access, strict):
   * the owner must be this connection if exclusive was asked for, else there must be none.
   */
  private static void checkExclusiveStrict(Queue q, QueueSpec declared, Object connection) {
    if (q.exclusiveOwner() != (declared.exclusive() ? connection : null)) {
      throw locked(q);
    }
  }

  private static AmqpException locked(Queue q) {
    return AmqpException.channelError(
        ReplyCode.RESOURCE_LOCKED,
        "cannot obtain exclusive access to locked %s. It could be originally declared on another"
            + " connection or the exclusive property value does not match that of the original"
            + " declaration.",
        q.spec().resource());
  }

  public List<Exchange> exchanges() {
    List<Exchange> l = new ArrayList<>(exchanges.values());
    l.add(defaultExchange);
    l.sort(Comparator.comparing(Exchange::name));
    return l;
  }

  public List<Queue> queues() {
    List<Queue> l = new ArrayList<>(queues.values());
    l.sort(Comparator.comparing(Queue::name));
    return l;
  }

  public List<Binding> bindings() {
    synchronized (lock) {
      return bindings.all();
    }
  }

  // ---------------------------------------------------------------- exchanges

  /** exchange.declare with passive=false: creates or checks equivalence. */
  public Exchange declareExchange(ExchangeSpec spec) {
    checkExchangeType(spec.type());
    if (spec.name().isEmpty()) {
      throw defaultExchangeRefused();
    }
    synchronized (lock) {
      Exchange x = exchanges.get(spec.name());
      if (x == null) {
        checkNotReserved("exchange", spec.name());
        String dir = spec.type().equals("x-delayed-message") || ExchangeDeduplication.wanted(spec)
            ? newQueueDir(spec.name()) : "";
        x = newExchange(spec, dir);
        exchanges.put(spec.name(), x);
        if (spec.durable()) {
          definitions.write(Records.exchange(spec, dir));
        }
        log.debug("declared {}", spec.resource());
        return x;
      }
      assertEquivalent(x.spec(), spec);
      return x;
    }
  }

  /**
   * RabbitMQ 3.x (rabbit_exchange:check_type) answers an unknown exchange type with a connection
   * error, before any other check of exchange.declare (RabbitMQ 4 answers 406 instead). Its text
   * says "invalid" for names that are Erlang atoms but no exchange type, of which only the empty
   * name is worth copying.
   */
  public static void checkExchangeType(String type) {
    if (!Exchange.TYPES.contains(type)) {
      throw AmqpException.connectionError(
          ReplyCode.COMMAND_INVALID, "%s exchange type '%s'", type.isEmpty() ? "invalid" : "unknown", type);
    }
  }

  /** exchange.declare with passive=true. */
  public Exchange declareExchangePassive(String n) {
    if (n.isEmpty()) {
      throw defaultExchangeRefused();
    }
    return exchangeOrDie(n);
  }

  private static void assertEquivalent(ExchangeSpec current, ExchangeSpec received) {
    field(current, "type", current.type(), received.type());
    field(current, "durable", current.durable(), received.durable());
    field(current, "auto_delete", current.autoDelete(), received.autoDelete());
    field(current, "internal", current.internal(), received.internal());
    // RabbitMQ compares only this argument of an exchange
    Object a = current.arguments().get("alternate-exchange");
    Object b = received.arguments().get("alternate-exchange");
    if (!ArgumentTypes.equivalent(a, b)) {
      throw ArgumentTypes.inequivalent("alternate-exchange", current.resource(), a, b);
    }
  }

  private static void field(ExchangeSpec x, String key, Object current, Object received) {
    if (!current.equals(received)) {
      throw AmqpException.channelError(
          ReplyCode.PRECONDITION_FAILED,
          "inequivalent arg '%s' for %s: received '%s' but current is '%s'",
          key,
          x.resource(),
          received,
          current);
    }
  }

  /** exchange.delete; deleting a missing exchange is not an error (RabbitMQ 3.x). */
  public void deleteExchange(String n, boolean ifUnused) {
    if (n.isEmpty()) {
      throw defaultExchangeRefused();
    }
    if (n.startsWith("amq.")) {
      throw AmqpException.channelError(
          ReplyCode.ACCESS_REFUSED, "deletion of system %s not allowed", resource("exchange", n));
    }
    synchronized (lock) {
      Exchange x = exchanges.get(n);
      if (x == null) {
        return;
      }
      if (ifUnused && x.hasBindings()) {
        throw AmqpException.channelError(
            ReplyCode.PRECONDITION_FAILED, "%s in use", x.spec().resource());
      }
      removeExchange(x);
    }
  }

  /** Under lock: removes the exchange and its bindings both ways, cascading auto-deletes. */
  private void removeExchange(Exchange x) {
    exchanges.remove(x.name(), x);
    if (x instanceof DelayedMessageExchange d) {
      blocking.execute(() -> d.held().delete());
    }
    ExchangeDeduplication dedup = x.deduplication();
    if (dedup != null) {
      blocking.execute(() -> {
        try {
          dedup.delete();
        } catch (IOException e) {
          log.warn("could not remove the deduplication log of {}: {}", x.spec().resource(), e.toString());
        }
      });
    }
    bindings.removeAllFrom(x);
    List<Binding> to = bindings.removeAllTo(new Destination.ToExchange(x));
    if (x.spec().durable()) {
      definitions.write(Records.exchangeDeleted(name, x.name()));
    }
    log.debug("deleted {}", x.spec().resource());
    autoDeleteSources(to);
  }

  /** Under lock: auto-delete exchanges that just lost their last binding go too. */
  private void autoDeleteSources(List<Binding> removed) {
    for (Binding b : removed) {
      Exchange src = b.source();
      if (src.spec().autoDelete() && !src.hasBindings() && exchanges.get(src.name()) == src) {
        removeExchange(src);
      }
    }
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
      spec = withName(spec, generateName());
    }
    return declareQueue(spec, serverNamed, connection);
  }

  /**
   * queue.declare of {@code spec.name()}; {@code serverNamed} says the name was generated for
   * this declaration (and so may carry the reserved amq. prefix).
   */
  public QueueDeclareResult declareQueue(QueueSpec requested, boolean serverNamed, Object connection) {
    QueueSpec spec = requested;
    if (spec.exclusive() && spec.durable()) {
      spec = new QueueSpec(spec.vhost(), spec.name(), false, true, spec.autoDelete(), spec.arguments());
    }
    if (!serverNamed) {
      // RabbitMQ checks the prefix before looking the queue up: an existing amq.gen- queue too
      checkNotReserved("queue", spec.name());
    }
    synchronized (lock) {
      Queue existing = queues.get(spec.name());
      if (existing != null) {
        checkExclusiveStrict(existing, spec, connection);
        QueueArguments.assertEquivalent(existing.spec(), spec);
        if (existing instanceof ClassicQueue c) {
          c.touch();
        }
        return new QueueDeclareResult(existing, existing.messageCount(), existing.consumerCount(), false);
      }
      QueueArguments.validate(spec);
      String dir = newQueueDir(spec.name());
      Queue q = createQueue(spec, spec.exclusive() ? connection : null, dir);
      if (spec.durable()) {
        definitions.write(Records.queue(spec, dir));
      }
      log.debug("declared {}", spec.resource());
      return new QueueDeclareResult(q, 0, 0, true);
    }
  }

  /** queue.declare with passive=true: 404 if missing, 405 if exclusive to another connection. */
  public QueueDeclareResult declareQueuePassive(String n, Object connection) {
    Queue q = queueOrDie(n, connection);
    if (q instanceof ClassicQueue c) {
      c.touch(); // RabbitMQ's stat restarts the x-expires timer, passive or not
    }
    return new QueueDeclareResult(q, q.messageCount(), q.consumerCount(), false);
  }

  private static QueueSpec withName(QueueSpec s, String n) {
    return new QueueSpec(s.vhost(), n, s.durable(), s.exclusive(), s.autoDelete(), s.arguments());
  }

  /** RabbitMQ's server-named queues: "amq.gen-" and 22 characters of url-safe base64. */
  public static String generateName() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return "amq.gen-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * A directory name of its own for every queue incarnation (SHA-1 of the name and a random
   * suffix), so that a queue redeclared right after a delete never meets the old files, whose
   * removal runs in the background.
   */
  private static String newQueueDir(String queueName) {
    return DirNames.of(queueName) + "-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
  }

  private Queue createQueue(QueueSpec spec, @Nullable Object owner, String dirName) {
    Path dir = spec.durable() ? durableDir.resolve(dirName) : transientDir.resolve(dirName);
    Queue q;
    try {
      q = ClassicQueue.open(spec, dir, new StoreOptions(storeOptions.segmentCapacity(), spec.durable()), alloc,
          owner, this, settingsOf(spec));
    } catch (IOException e) {
      throw new UncheckedIOException("could not open the store of " + spec.resource(), e);
    }
    queues.put(spec.name(), q);
    return q;
  }

  /** The queue's effective settings: its arguments with the policies that match it. */
  private QueueSettings settingsOf(QueueSpec spec) {
    EffectiveArguments a = policies.resolve(name, Policy.Kind.QUEUE, spec.name(), spec.arguments());
    Long prio = spec.arguments().getLong("x-max-priority");
    return QueueSettings.resolve(a, prio == null ? 0 : (int) Math.min(255, Math.max(0, prio)),
        Boolean.TRUE.equals(spec.arguments().getBoolean("x-single-active-consumer")));
  }

  /** Policies changed: every queue and exchange takes its new effective settings. */
  public void applyPolicies() {
    for (Queue q : queues.values()) {
      if (q instanceof ClassicQueue c) {
        c.applySettings(settingsOf(q.spec()));
      }
    }
    for (Exchange x : exchanges.values()) {
      x.setAlternateExchange(alternateOf(x.spec()));
    }
  }

  private @Nullable String alternateOf(ExchangeSpec spec) {
    return policies.resolve(name, Policy.Kind.EXCHANGE, spec.name(), spec.arguments()).alternateExchange();
  }

  // ---------------------------------------------------------------- QueueHost

  @Override
  public void deadLetter(Queue from, String exchange, @Nullable String routingKey, List<DeadLetter> letters) {
    deadLetters.publish(from, exchange, routingKey, letters);
  }

  @Override
  public void expired(Queue queue) {
    blocking.execute(() -> {
      synchronized (lock) {
        if (queues.get(queue.name()) == queue && queue.consumerCount() == 0) {
          removeQueue(queue);
        }
      }
    });
  }

  @Override
  public ScheduledExecutorService timers() {
    return timers;
  }

  @Override
  public Executor blocking() {
    return blocking;
  }

  /** queue.delete; deleting a missing queue answers 0 (RabbitMQ). Returns the ready count. */
  public long deleteQueue(String n, boolean ifUnused, boolean ifEmpty, Object connection) {
    synchronized (lock) {
      Queue q = queues.get(n);
      if (q == null) {
        return 0;
      }
      checkExclusive(q, connection);
      if (ifUnused && q.consumerCount() > 0) {
        throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "%s in use", q.spec().resource());
      }
      long count = q.messageCount();
      if (ifEmpty && count > 0) {
        throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "%s not empty", q.spec().resource());
      }
      removeQueue(q);
      return count;
    }
  }

  /** Under lock. */
  private void removeQueue(Queue q) {
    if (!queues.remove(q.name(), q)) {
      return;
    }
    List<Binding> removed = bindings.removeAllTo(new Destination.ToQueue(q));
    q.delete();
    if (q.spec().durable()) {
      definitions.write(Records.queueDeleted(name, q.name()));
    }
    log.debug("deleted {}", q.spec().resource());
    autoDeleteSources(removed);
  }

  /** Deletes {@code q} if it is still registered (auto-delete after its last consumer left). */
  public void autoDelete(Queue q) {
    synchronized (lock) {
      if (queues.get(q.name()) == q && q.consumerCount() == 0) {
        removeQueue(q);
      }
    }
  }

  public long purgeQueue(String n, Object connection) {
    return queueOrDie(n, connection).purge();
  }

  /** A connection closed: its exclusive queues go (AMQP 0-9-1 queue.declare exclusive). */
  public void connectionClosed(Object connection) {
    synchronized (lock) {
      for (Queue q : List.copyOf(queues.values())) {
        if (q.exclusiveOwner() == connection) {
          removeQueue(q);
        }
      }
    }
  }

  // ---------------------------------------------------------------- bindings

  public void bindQueue(String queue, String exchange, String key, FieldTable args, Object connection) {
    queueBinding(true, queue, exchange, key, args, connection);
  }

  public void unbindQueue(String queue, String exchange, String key, FieldTable args, Object connection) {
    queueBinding(false, queue, exchange, key, args, connection);
  }

  private void queueBinding(
      boolean add, String queue, String exchange, String key, FieldTable args, Object connection) {
    if (exchange.isEmpty()) {
      throw defaultExchangeRefused();
    }
    synchronized (lock) {
      Queue q = queues.get(queue);
      Exchange x = exchanges.get(exchange);
      if ((q == null || x == null) && !add) {
        return; // RabbitMQ: unbinding from a missing exchange or queue succeeds
      }
      if (x == null) {
        throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s", resource("exchange", exchange));
      }
      if (q == null) {
        throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s", resource("queue", queue));
      }
      Binding b = new Binding(x, new Destination.ToQueue(q), key, args);
      if (add || x.bindings().contains(b)) {
        checkExclusive(q, connection); // RabbitMQ: unbinding what is not bound succeeds
      }
      changeBinding(add, b, x.spec().durable() && q.spec().durable());
    }
  }

  public void bindExchange(String destination, String source, String key, FieldTable args) {
    exchangeBinding(true, destination, source, key, args);
  }

  public void unbindExchange(String destination, String source, String key, FieldTable args) {
    exchangeBinding(false, destination, source, key, args);
  }

  private void exchangeBinding(boolean add, String destination, String source, String key, FieldTable args) {
    if (destination.isEmpty() || source.isEmpty()) {
      throw defaultExchangeRefused();
    }
    synchronized (lock) {
      Exchange d = exchanges.get(destination);
      Exchange s = exchanges.get(source);
      if ((s == null || d == null) && !add) {
        return; // RabbitMQ: unbinding a missing exchange succeeds
      }
      if (s == null) {
        throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s", resource("exchange", source));
      }
      if (d == null) {
        throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s", resource("exchange", destination));
      }
      Binding b = new Binding(s, new Destination.ToExchange(d), key, args);
      changeBinding(add, b, s.spec().durable() && d.spec().durable());
    }
  }

  /** Under lock. Unbinding a binding that does not exist is not an error. */
  private void changeBinding(boolean add, Binding b, boolean durable) {
    if (add) {
      if (bindings.add(b) && durable) {
        definitions.write(bindingRecord(Records.PUT, b));
      }
    } else if (bindings.remove(b)) {
      if (durable) {
        definitions.write(bindingRecord(Records.DEL, b));
      }
      autoDeleteSources(List.of(b));
    }
  }

  private FieldTable bindingRecord(String op, Binding b) {
    return Records.binding(
        op, name, b.source().name(), b.destination().kind(), b.destination().name(), b.routingKey(),
        b.arguments());
  }

  // ---------------------------------------------------------------- routing

  /** The exchange to publish to: 404 if missing, 403 if internal. */
  public Exchange exchangeForPublish(String n) {
    Exchange x = exchangeOrDie(n);
    if (x.spec().internal()) {
      throw AmqpException.channelError(
          ReplyCode.ACCESS_REFUSED, "cannot publish to internal %s", x.spec().resource());
    }
    return x;
  }

  /**
   * Routes {@code message} from {@code x} through exchange-to-exchange bindings (each exchange
   * visited once, so cycles end) and alternate exchanges, into {@code out} (cleared first).
   */
  public void route(Exchange x, Message message, RouteCollector out) {
    out.clear();
    ExchangeDeduplication dedup = x.deduplication();
    if (dedup != null && dedup.isDuplicate(message)) {
      return;
    }
    out.visit(x);
    List<String> keys = message.routingKeys();
    routeOne(x, message, keys, out);
    Exchange next;
    while ((next = out.pollExchange()) != null) {
      routeOne(next, message, keys, out);
    }
  }

  private void routeOne(Exchange x, Message message, List<String> keys, RouteCollector out) {
    int before = out.size();
    for (int i = 0; i < keys.size(); i++) {
      x.route(message, keys.get(i), out);
    }
    if (out.size() == before) {
      // unroutable by this exchange's bindings: RabbitMQ's alternate-exchange
      String ae = x.alternateExchange();
      if (ae != null) {
        Exchange alt = exchanges.get(ae);
        if (alt != null && out.visit(alt)) {
          routeOne(alt, message, keys, out);
        }
      }
    }
  }

  // ---------------------------------------------------------------- recovery and lifecycle

  /** Recreates a durable exchange from the definitions, without writing them again. */
  public void restoreExchange(ExchangeSpec spec, String dir) {
    synchronized (lock) {
      exchanges.put(spec.name(), newExchange(spec, dir.isEmpty() ? DirNames.of(spec.name()) : dir));
    }
  }

  /**
   * Creates an exchange; a delayed message exchange gets its store of held messages in
   * {@code dirName} (opened, and recovered if durable: blocks on disk).
   */
  private Exchange newExchange(ExchangeSpec spec, String dirName) {
    Exchange x;
    if (spec.type().equals("x-delayed-message")) {
      DelayedMessageExchange.delayedType(spec);
      Path dir = (spec.durable() ? durableDir.resolveSibling("exchanges") : transientDir.resolve("exchanges"))
          .resolve(dirName);
      DelayedMessages held;
      try {
        held = DelayedMessages.open(name, spec.name(), spec.durable(), dir, storeOptions.segmentCapacity(), alloc, timers);
      } catch (IOException e) {
        throw new UncheckedIOException("could not open the delayed messages of " + spec.resource(), e);
      }
      DelayedMessageExchange d = new DelayedMessageExchange(spec, held);
      held.start(m -> routeDue(d, m));
      x = d;
    } else {
      x = Exchange.create(spec);
    }
    x.setAlternateExchange(alternateOf(spec));
    if (ExchangeDeduplication.wanted(spec)) {
      Path log = spec.durable() ? durableDir.resolveSibling("exchanges").resolve(dirName + ".dedup") : null;
      try {
        if (log != null) {
          Files.createDirectories(log.getParent());
        }
        x.setDeduplication(ExchangeDeduplication.open(spec.arguments(), log, blocking));
      } catch (IOException e) {
        throw new UncheckedIOException("could not open the deduplication log of " + spec.resource(), e);
      }
    }
    return x;
  }

  /** A delayed message is due: route it by the delayed exchange's bindings and store it. */
  private void routeDue(DelayedMessageExchange x, Message message) {
    RouteCollector out = new RouteCollector();
    out.visit(x);
    List<String> keys = message.routingKeys();
    int before = out.size();
    for (String k : keys) {
      x.routeNow(message, k, out);
    }
    if (out.size() == before && x.alternateExchange() != null) {
      Exchange alt = exchanges.get(x.alternateExchange());
      if (alt != null && out.visit(alt)) {
        routeOne(alt, message, keys, out);
      }
    }
    Exchange next;
    while ((next = out.pollExchange()) != null) {
      routeOne(next, message, keys, out);
    }
    for (Queue q : out.queues()) {
      q.enqueue(message);
    }
  }

  /** Reopens a durable queue's store from disk, in {@code dirName} under the vhost's queue directory. */
  public Queue restoreQueue(QueueSpec spec, String dirName) {
    synchronized (lock) {
      return createQueue(spec, null, dirName.isEmpty() ? DirNames.of(spec.name()) : dirName);
    }
  }

  /** The directories of the live queues' stores. */
  public java.util.Set<Path> queueDirectories() {
    java.util.Set<Path> out = new java.util.HashSet<>();
    for (Queue q : queues.values()) {
      if (q instanceof ClassicQueue c) {
        out.add(c.directory().getFileName());
      }
    }
    return out;
  }

  /** The directory under which durable queues keep their segment files. */
  public Path durableDirectory() {
    return durableDir;
  }

  /** Recreates a durable binding; false if an end is missing (the log is then stale). */
  public boolean restoreBinding(String source, String destKind, String dest, String key, FieldTable args) {
    synchronized (lock) {
      Exchange s = exchanges.get(source);
      Destination d;
      if (destKind.equals("queue")) {
        Queue q = queues.get(dest);
        d = q == null ? null : new Destination.ToQueue(q);
      } else {
        Exchange x = exchanges.get(dest);
        d = x == null ? null : new Destination.ToExchange(x);
      }
      if (s == null || d == null) {
        return false;
      }
      bindings.add(new Binding(s, d, key, args));
      return true;
    }
  }

  /** Shutdown: closes every queue, keeping durable data. */
  public void close() {
    synchronized (lock) {
      queues.values().forEach(Queue::close);
      for (Exchange x : exchanges.values()) {
        if (x instanceof DelayedMessageExchange d) {
          d.held().close();
        }
        ExchangeDeduplication dedup = x.deduplication();
        if (dedup != null) {
          try {
            dedup.close();
          } catch (IOException e) {
            log.warn("could not close the deduplication log of {}: {}", x.spec().resource(), e.toString());
          }
        }
      }
    }
  }

  /** The vhost is being deleted: every queue goes, with its files. */
  public void deleteAll() {
    synchronized (lock) {
      for (Queue q : List.copyOf(queues.values())) {
        queues.remove(q.name());
        q.delete();
      }
      for (Exchange x : exchanges.values()) {
        if (x instanceof DelayedMessageExchange d) {
          d.held().delete();
        }
      }
      exchanges.clear();
    }
  }

  private void checkNotReserved(String kind, String n) {
    if (n.startsWith("amq.")) {
      throw AmqpException.channelError(
          ReplyCode.ACCESS_REFUSED, "%s name '%s' contains reserved prefix 'amq.*'", kind, n);
    }
  }

  /** 403 for any operation on the default exchange but publishing to it. */
  public static AmqpException defaultExchangeRefused() {
    return AmqpException.channelError(
        ReplyCode.ACCESS_REFUSED, "operation not permitted on the default exchange");
  }
}
