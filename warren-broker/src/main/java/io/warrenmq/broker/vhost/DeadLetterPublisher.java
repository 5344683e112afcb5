package io.warrenmq.broker.vhost;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.RouteCollector;
import io.warrenmq.broker.message.DeathHistory;
import io.warrenmq.broker.message.Envelope;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.message.Routing;
import io.warrenmq.broker.queue.DeadLetter;
import io.warrenmq.broker.queue.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes dead letters as RabbitMQ does (rabbit_dead_letter): the message gets its death
 * recorded in {@code x-death} (and {@code x-first-death-*}, {@code x-last-death-*}), loses its
 * expiration, and is routed from the dead-letter exchange with the dead-letter routing key or its
 * own routing keys (CC and BCC included, as RabbitMQ 3.13 routes by its routing-key annotation;
 * {@code x-death} records them without BCC); its CC header stays either way; it appears to
 * consumers as published to the dead-letter exchange. A queue the message already died in, with
 * no rejection since, is skipped (a cycle), unless this death is itself a rejection. Dead-lettering is at most once: no confirms.
 *
 * <p>Threading: called by queues with no queue lock held; thread-safe.
 */
final class DeadLetterPublisher {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

  private final VirtualHost vhost;
  private final ByteBufAllocator alloc;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  DeadLetterPublisher(VirtualHost vhost, ByteBufAllocator alloc) {
    this.vhost = vhost;
    this.alloc = alloc;
  }

  void publish(Queue from, String dlxName, @Nullable String dlrk, List<DeadLetter> letters) {
    Exchange dlx = vhost.exchange(dlxName);
    RouteCollector route = new RouteCollector();
    long now = System.currentTimeMillis();
    for (DeadLetter d : letters) {
      try {
        if (dlx == null) {
          report("dead-letter exchange '" + dlxName + "' of " + from.spec().resource() + " does not exist; dead letters are dropped");
          continue;
        }
        publishOne(from, dlx, dlrk, d, route, now);
      } catch (RuntimeException e) {
        log.warn("dead letter from {} dropped: {}", from.spec().resource(), e.toString());
      } finally {
        d.record().release();
      }
    }
  }

  private void publishOne(Queue from, Exchange dlx, @Nullable String dlrk, DeadLetter d, RouteCollector route, long now) {
    Envelope e = Envelope.parse(d.record());
    BasicProperties p = e.properties().isReadable() ? e.decodeProperties() : BasicProperties.EMPTY;
    Routing routing = e.routing() != null ? e.routing() : publishedRouting(e.routingKey(), p);
    // rabbit_dead_letter publish: x-death records the keys without BCC; the dead letter routes
    // with the dead-letter routing key or all its keys, BCC included, and keeps its BCC keys
    BasicProperties dead = DeathHistory.record(p, d.reason(), from.name(), e.exchange(), routing.withoutBcc(), now);
    List<String> routingKeys = dlrk != null ? List.of(dlrk) : routing.keys();
    ByteBuf props = alloc.buffer(e.properties().readableBytes() + 256);
    try {
      BasicPropertiesCodec.encode(props, dead);
      Message m = new Message(dlx.name(), routingKeys.getFirst(), props, e.body(), now)
          .withRouting(new Routing(routingKeys, routing.bcc()))
          .withFinalProperties();
      try {
        vhost.route(dlx, m, route);
        boolean rejected = d.reason().equals("rejected");
        for (Queue q : route.queues()) {
          if (!rejected && DeathHistory.isCycle(dead, q.name())) {
            report("message dropped: dead-letter cycle through " + q.spec().resource() + " without a rejection");
            continue;
          }
          q.enqueue(m);
        }
      } finally {
        m.release();
      }
    } finally {
      props.release();
    }
  }

  /**
   * The routing of a record that carries none (layout version 1): its routing key and the string
   * keys of its CC header; a BCC header was not stored.
   */
  private static Routing publishedRouting(String routingKey, BasicProperties p) {
    List<String> keys = new ArrayList<>();
    keys.add(routingKey);
    FieldTable h = p.headers();
    List<@Nullable Object> cc = h == null ? null : h.getArray("CC");
    if (cc != null) {
      for (Object o : cc) {
        if (o instanceof LongString || o instanceof String) {
          keys.add(o.toString());
        }
      }
    }
    return new Routing(keys, List.of());
  }

  private void report(String what) {
    if (reported.size() < 1000 && reported.add(what)) {
      log.warn("{} (logged once)", what);
    }
  }
}
