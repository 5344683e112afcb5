package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.exchange.DelayedMessageExchange;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.ExchangeDeduplication;
import io.warrenmq.broker.exchange.RouteCollector;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.Queue;
import java.util.List;

/**
 * Routing in one vhost: from the exchange a message is published to, through exchange-to-exchange
 * bindings and alternate exchanges, to the queues that get it; exchange-level deduplication drops
 * a duplicate first. Also the routing of a delayed message whose delay is over.
 *
 * <p>Threading: lock-free and thread-safe; it reads the exchanges' bindings and the
 * {@link ExchangeRegistry} while topology mutations run under the vhost's lock, and never takes
 * that lock. Called on the publishers' event loops, by queues dead-lettering, and by the delayed
 * exchanges' timer.
 */
final class Router {
  private final ExchangeRegistry exchanges;

  Router(ExchangeRegistry exchanges) {
    this.exchanges = exchanges;
  }

  /** The exchange to publish to: 404 if missing, 403 if internal. */
  Exchange exchangeForPublish(String n) {
    Exchange x = exchanges.getOrDie(n);
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
  void route(Exchange x, Message message, RouteCollector out) {
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
        Exchange alt = exchanges.named(ae);
        if (alt != null && out.visit(alt)) {
          routeOne(alt, message, keys, out);
        }
      }
    }
  }

  /** A delayed message is due: route it by the delayed exchange's bindings and store it. */
  void routeDue(DelayedMessageExchange x, Message message) {
    RouteCollector out = new RouteCollector();
    out.visit(x);
    List<String> keys = message.routingKeys();
    int before = out.size();
    for (String k : keys) {
      x.routeNow(message, k, out);
    }
    String ae = x.alternateExchange();
    if (out.size() == before && ae != null) {
      Exchange alt = exchanges.named(ae);
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
}
