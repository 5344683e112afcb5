package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.definitions.DefinitionStore;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Destination;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.queue.Queue;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bindings of one vhost: queue.bind and queue.unbind, exchange.bind and exchange.unbind with
 * RabbitMQ's checks and texts, their durable records in the definitions, recovery from those, and
 * the auto-delete of a source exchange whose last binding was removed. The bindings themselves
 * live in their source exchanges and in the {@link BindingIndex}.
 *
 * <p>Threading: every method runs under the vhost's lock, shared with the {@link ExchangeRegistry}
 * and {@link QueueRegistry}, and takes it itself. Routing reads the exchanges' bindings without
 * it. Lock order: vhost lock, then a queue's lock, never the reverse.
 */
final class Bindings {
  private final String vhost;
  private final ReentrantLock lock;
  private final DefinitionStore definitions;
  private final BindingIndex index;
  private final ExchangeRegistry exchanges;
  private final QueueRegistry queues;
  /** In a cluster every binding has a definitions record (see ExchangeRegistry). */
  private volatile boolean clustered;

  /**
   * @param lock the vhost's lock, guarding every topology mutation
   * @param index the vhost's bindings by destination (guarded by {@code lock})
   */
  Bindings(
      String vhost,
      ReentrantLock lock,
      DefinitionStore definitions,
      BindingIndex index,
      ExchangeRegistry exchanges,
      QueueRegistry queues) {
    this.vhost = vhost;
    this.lock = lock;
    this.definitions = definitions;
    this.index = index;
    this.exchanges = exchanges;
    this.queues = queues;
  }

  /** Every binding, grouped by destination. */
  List<Binding> all() {
    lock.lock();
    try {
      return index.all();
    } finally {
      lock.unlock();
    }
  }

  /**
   * queue.bind ({@code add}) or queue.unbind: 404 for a missing exchange (named first) or queue,
   * 405 for another connection's exclusive queue. With {@code wait} false (on an event loop) it is
   * done only if it touches no file and the vhost's lock is free at once (an event loop must not
   * wait for a declaration's disk work): false means nothing was done, the caller goes the
   * blocking way.
   */
  boolean queueBinding(
      boolean add, boolean wait, String queue, String exchange, String key, FieldTable args, Object connection) {
    if (exchange.isEmpty()) {
      throw TopologyErrors.defaultExchangeRefused();
    }
    if (!acquire(wait)) {
      return false;
    }
    try {
      Queue q = queues.get(queue);
      Exchange x = exchanges.named(exchange);
      if (!TopologyErrors.bindingEnds(add, vhost, x, exchange, q, "queue", queue)) {
        return true; // RabbitMQ: unbinding from a missing exchange or queue succeeds
      }
      Binding b = new Binding(x, new Destination.ToQueue(q), key, args);
      if (add || x.bindings().contains(b)) {
        ExclusiveAccess.check(q, connection); // RabbitMQ: unbinding what is not bound succeeds
      }
      boolean durable = x.spec().durable() && q.spec().durable() || clustered;
      if (durable && !wait) {
        return false; // its definitions record is written off the event loop
      }
      changeBinding(add, b, durable);
    } finally {
      lock.unlock();
    }
    return true;
  }

  /**
   * exchange.bind ({@code add}) or exchange.unbind: 404 for a missing source (named first).
   * {@code wait} and the result as for {@link #queueBinding}.
   */
  boolean exchangeBinding(
      boolean add, boolean wait, String destination, String source, String key, FieldTable args) {
    if (destination.isEmpty() || source.isEmpty()) {
      throw TopologyErrors.defaultExchangeRefused();
    }
    if (!acquire(wait)) {
      return false;
    }
    try {
      Exchange d = exchanges.named(destination);
      Exchange s = exchanges.named(source);
      if (!TopologyErrors.bindingEnds(add, vhost, s, source, d, "exchange", destination)) {
        return true; // RabbitMQ: unbinding a missing exchange succeeds
      }
      Binding b = new Binding(s, new Destination.ToExchange(d), key, args);
      boolean durable = s.spec().durable() && d.spec().durable() || clustered;
      if (durable && !wait) {
        return false; // its definitions record is written off the event loop
      }
      changeBinding(add, b, durable);
    } finally {
      lock.unlock();
    }
    return true;
  }

  /** From now on every binding gets a definitions record (this node is in a cluster). */
  void setClustered() {
    clustered = true;
  }

  /** Takes the vhost's lock, waiting for it or only if it is free now; whether it is held. */
  private boolean acquire(boolean wait) {
    if (wait) {
      lock.lock();
      return true;
    }
    return lock.tryLock();
  }

  /** Under lock. Unbinding a binding that does not exist is not an error. */
  private void changeBinding(boolean add, Binding b, boolean durable) {
    if (add) {
      if (index.add(b) && durable) {
        definitions.write(record(Records.PUT, b));
      }
    } else if (index.remove(b)) {
      if (durable) {
        definitions.write(record(Records.DEL, b));
      }
      exchanges.autoDeleteSources(List.of(b));
    }
  }

  private FieldTable record(String op, Binding b) {
    return Records.binding(
        op, vhost, b.source().name(), b.destination().kind(), b.destination().name(), b.routingKey(),
        b.arguments());
  }

  /** Recreates a durable binding; false if an end is missing (the log is then stale). */
  boolean restore(String source, String destKind, String dest, String key, FieldTable args) {
    lock.lock();
    try {
      Exchange s = exchanges.named(source);
      Destination d;
      if (destKind.equals("queue")) {
        Queue q = queues.get(dest);
        d = q == null ? null : new Destination.ToQueue(q);
      } else {
        Exchange x = exchanges.named(dest);
        d = x == null ? null : new Destination.ToExchange(x);
      }
      if (s == null || d == null) {
        return false;
      }
      index.add(new Binding(s, d, key, args));
      return true;
    } finally {
      lock.unlock();
    }
  }
}
