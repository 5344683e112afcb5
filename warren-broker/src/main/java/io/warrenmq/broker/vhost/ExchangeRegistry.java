package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.definitions.DefinitionStore;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Destination;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.queue.Queue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exchanges of one vhost: the default exchange and the amq.* ones every vhost has, lookups,
 * exchange.declare and exchange.delete with RabbitMQ's checks, recovery from the definitions, and
 * the removal of an exchange with its bindings, which cascades to auto-delete exchanges that lose
 * their last binding. What an exchange is made of is the {@link ExchangeFactory}'s.
 *
 * <p>Threading: lookups are lock-free (a concurrent map) and serve routing. Every mutation runs
 * under the vhost's lock, shared with the {@link QueueRegistry} and {@link Bindings}: the public
 * operations take it, and the methods documented "under lock" expect it held. Lock order: vhost
 * lock, then a queue's lock, never the reverse.
 */
final class ExchangeRegistry {
  private static final Logger log = LoggerFactory.getLogger(ExchangeRegistry.class);

  /** The amq.* exchanges every vhost has (AMQP 0-9-1 3.1.3 and RabbitMQ's amq.match, trace). */
  private static final String[][] STANDARD_EXCHANGES = {
    {"amq.direct", "direct"},
    {"amq.fanout", "fanout"},
    {"amq.topic", "topic"},
    {"amq.headers", "headers"},
    {"amq.match", "headers"},
    {"amq.rabbitmq.trace", "topic", "internal"},
  };

  private final String vhost;
  private final ReentrantLock lock;
  private final DefinitionStore definitions;
  private final BindingIndex index;
  private final ExchangeFactory factory;
  private final Map<String, Exchange> exchanges = new ConcurrentHashMap<>();
  private final Exchange defaultExchange;
  /**
   * In a cluster every exchange has a definitions record, transient ones too: the metadata log
   * holds them all, and a restarted node must come back with the cluster's topology.
   */
  private volatile boolean clustered;

  /**
   * @param lock the vhost's lock, guarding every topology mutation
   * @param index the vhost's bindings by destination (guarded by {@code lock})
   * @param defaultRoute what the default exchange routes to: a queue by name, or a direct reply-to
   *     consumer
   */
  ExchangeRegistry(
      String vhost,
      ReentrantLock lock,
      DefinitionStore definitions,
      BindingIndex index,
      ExchangeFactory factory,
      Function<String, @Nullable Queue> defaultRoute) {
    this.vhost = vhost;
    this.lock = lock;
    this.definitions = definitions;
    this.index = index;
    this.factory = factory;
    this.defaultExchange = Exchange.defaultExchange(vhost, defaultRoute);
    for (String[] x : STANDARD_EXCHANGES) {
      ExchangeSpec spec =
          new ExchangeSpec(vhost, x[0], x[1], true, false, x.length > 2, FieldTable.EMPTY);
      exchanges.put(x[0], Exchange.create(spec));
    }
  }

  // ---------------------------------------------------------------- lookups (lock-free)

  /** The exchange named {@code n} ("" is the default exchange), or null. */
  @Nullable Exchange get(String n) {
    return n.isEmpty() ? defaultExchange : exchanges.get(n);
  }

  /** The declared exchange named {@code n}; never the default exchange (which has no name). */
  @Nullable Exchange named(String n) {
    return exchanges.get(n);
  }

  /** The exchange named {@code n}, or 404. */
  Exchange getOrDie(String n) {
    Exchange x = get(n);
    if (x == null) {
      throw TopologyErrors.notFound(vhost, "exchange", n);
    }
    return x;
  }

  /** Every exchange, the default one included, by name. */
  List<Exchange> all() {
    List<Exchange> l = new ArrayList<>(exchanges.values());
    l.add(defaultExchange);
    l.sort(Comparator.comparing(Exchange::name, NameOrder.INSTANCE));
    return l;
  }

  /** How many exchanges there are, the default one included. */
  int count() {
    return exchanges.size() + 1;
  }

  // ---------------------------------------------------------------- declare and delete

  /** exchange.declare with passive=false: creates or checks equivalence. */
  Exchange declare(ExchangeSpec spec) {
    ExchangeFactory.checkType(spec.type());
    if (spec.name().isEmpty()) {
      throw TopologyErrors.defaultExchangeRefused();
    }
    lock.lock();
    try {
      Exchange x = exchanges.get(spec.name());
      if (x == null) {
        TopologyErrors.checkNotReserved("exchange", spec.name());
        String dir = ExchangeFactory.needsDirectory(spec) ? DirNames.fresh(spec.name()) : "";
        x = factory.create(spec, dir);
        exchanges.put(spec.name(), x);
        if (spec.durable() || clustered) {
          definitions.write(Records.exchange(spec, dir));
        }
        log.debug("declared {}", spec.resource());
        return x;
      }
      ExchangeFactory.assertEquivalent(x.spec(), spec);
      return x;
    } finally {
      lock.unlock();
    }
  }

  /** exchange.declare with passive=true. */
  Exchange declarePassive(String n) {
    if (n.isEmpty()) {
      throw TopologyErrors.defaultExchangeRefused();
    }
    return getOrDie(n);
  }

  /** exchange.delete; deleting a missing exchange is not an error (RabbitMQ 3.x). */
  void delete(String n, boolean ifUnused) {
    if (n.isEmpty()) {
      throw TopologyErrors.defaultExchangeRefused();
    }
    if (n.startsWith("amq.")) {
      throw AmqpException.channelError(
          ReplyCode.ACCESS_REFUSED, "deletion of system %s not allowed", TopologyErrors.resource(vhost, "exchange", n));
    }
    lock.lock();
    try {
      Exchange x = exchanges.get(n);
      if (x == null) {
        return;
      }
      if (ifUnused && x.hasBindings()) {
        throw AmqpException.channelError(
            ReplyCode.PRECONDITION_FAILED, "%s in use", x.spec().resource());
      }
      remove(x);
    } finally {
      lock.unlock();
    }
  }

  /** Under lock: removes the exchange and its bindings both ways, cascading auto-deletes. */
  void remove(Exchange x) {
    exchanges.remove(x.name(), x);
    factory.deleted(x);
    index.removeAllFrom(x);
    List<Binding> to = index.removeAllTo(new Destination.ToExchange(x));
    if (x.spec().durable() || clustered) {
      definitions.write(Records.exchangeDeleted(vhost, x.name()));
    }
    log.debug("deleted {}", x.spec().resource());
    autoDeleteSources(to);
  }

  /** Under lock: auto-delete exchanges that just lost their last binding go too. */
  void autoDeleteSources(List<Binding> removed) {
    for (Binding b : removed) {
      Exchange src = b.source();
      if (src.spec().autoDelete() && !src.hasBindings() && exchanges.get(src.name()) == src) {
        remove(src);
      }
    }
  }

  // ---------------------------------------------------------------- recovery, policies, lifecycle

  /** From now on transient exchanges get definitions records too (this node is in a cluster). */
  void setClustered() {
    clustered = true;
  }

  /** Recreates a durable exchange from the definitions, without writing them again. */
  void restore(ExchangeSpec spec, String dir) {
    lock.lock();
    try {
      exchanges.put(spec.name(), factory.create(spec, dir.isEmpty() ? DirNames.of(spec.name()) : dir));
    } finally {
      lock.unlock();
    }
  }

  /** Policies changed: every exchange takes its new alternate exchange. */
  void applyPolicies() {
    for (Exchange x : exchanges.values()) {
      x.setAlternateExchange(factory.alternateOf(x.spec()));
    }
  }

  /** Under lock, at shutdown: closes the exchanges' files, keeping durable data. */
  void closeAll() {
    for (Exchange x : exchanges.values()) {
      factory.closed(x);
    }
  }

  /** Under lock, when the vhost is deleted: every exchange goes, with its files. */
  void deleteAll() {
    for (Exchange x : exchanges.values()) {
      factory.dropped(x);
    }
    exchanges.clear();
  }
}
