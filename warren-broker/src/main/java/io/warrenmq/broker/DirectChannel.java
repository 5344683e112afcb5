package io.warrenmq.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.content.PropertiesSummary;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.RouteCollector;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.EnqueueResult;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.ReplyQueue;
import io.warrenmq.broker.vhost.AccessChecks;
import io.warrenmq.broker.vhost.PublishRules;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.store.sync.Syncable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What RabbitMQ's management plugin does through a direct AMQP channel of the requesting user
 * (rabbit_mgmt_util with_channel): publishing one message in confirm mode with mandatory set, and
 * basic.get with its acknowledgements. The same checks as the AMQP channel run first
 * ({@link AccessChecks}, {@link PublishRules}); the messages go through the same vhost routing and
 * queue operations. Not connection-bound: exclusive queues of a connection are not reachable (as
 * in RabbitMQ, whose direct channel is another connection).
 *
 * <p>Threading: any thread that may block briefly (the management API's executor); durability is
 * awaited through the returned future, never by blocking an event loop.
 */
public final class DirectChannel {
  /** What a publish came to: the confirm (routed or returned) or the nack. */
  public enum Outcome {
    ROUTED,
    UNROUTABLE,
    REJECTED
  }

  /** A message taken by {@link #get}: its delivery (which the caller releases) and the ready count left. */
  public record Got(Delivery delivery, long messageCount) {}

  private final Broker broker;
  private final User user;
  private final VirtualHost vhost;
  /** The synthetic pid naming this channel's connection in traces, as RabbitMQ's direct connection. */
  private final String connection;

  public DirectChannel(Broker broker, User user, VirtualHost vhost) {
    this.broker = broker;
    this.user = user;
    this.vhost = vhost;
    this.connection = broker.pids().next();
  }

  public AccessChecks checks() {
    return new AccessChecks(broker.users(), user, vhost);
  }

  /**
   * basic.publish with mandatory=true on a channel in confirm mode: the future completes with the
   * outcome once the message is durable where it must be (after the group commit's fsync for a
   * persistent message in a durable queue), as the confirm would arrive. Throws the channel error
   * the AMQP channel would close with (403, 404, 406).
   */
  public CompletableFuture<Outcome> publish(String exchange, String routingKey, BasicProperties properties, byte[] body) {
    Exchange x = checks().publish(exchange, routingKey);
    if (ReplyQueue.PSEUDO_QUEUE.equals(properties.replyTo())) {
      // a channel without a reply consumer (rabbit_channel: fast reply consumer does not exist)
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "fast reply consumer does not exist");
    }
    ByteBuf props = Unpooled.buffer(64);
    BasicPropertiesCodec.encode(props, properties);
    Map<Syncable, Boolean> toSync = new IdentityHashMap<>();
    boolean rejected = false;
    boolean routed;
    try {
      PropertiesSummary summary = PublishRules.validate(props, user);
      Message msg = new Message(exchange, routingKey, props, summary, Unpooled.wrappedBuffer(body),
          System.currentTimeMillis());
      try {
        RouteCollector route = new RouteCollector();
        vhost.route(x, msg, route);
        if (vhost.firehose().enabled()) {
          vhost.firehose().published(msg, route.queues(), connection, 1, user.name());
        }
        routed = !route.isEmpty();
        for (Queue q : route.queues()) {
          EnqueueResult r = q.enqueue(msg);
          if (r == EnqueueResult.STORED_DURABLE) {
            toSync.put(q.syncTarget(), Boolean.TRUE);
          } else if (r == EnqueueResult.REJECTED) {
            rejected = true;
          }
        }
      } finally {
        msg.release();
      }
    } finally {
      props.release();
    }
    Outcome outcome = rejected ? Outcome.REJECTED : routed ? Outcome.ROUTED : Outcome.UNROUTABLE;
    return durable(toSync.keySet(), outcome);
  }

  private CompletableFuture<Outcome> durable(java.util.Set<Syncable> targets, Outcome outcome) {
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    if (targets.isEmpty()) {
      done.complete(outcome);
      return done;
    }
    AtomicInteger remaining = new AtomicInteger(targets.size());
    for (Syncable t : targets) {
      broker.committer().submit(t, () -> {
        if (remaining.decrementAndGet() == 0) {
          done.complete(outcome);
        }
      }, done::completeExceptionally);
    }
    return done;
  }

  /**
   * basic.get: read permission on the queue, then its next ready message, or null if it has none.
   * With {@code noAck} false the message stays unacknowledged until {@link #settle}.
   */
  public @Nullable Got get(String queueName, boolean noAck) {
    checks().readQueue(queueName);
    Queue q = queue(queueName);
    Delivery d = q.get(noAck);
    if (d == null) {
      return null;
    }
    if (vhost.firehose().enabled()) {
      vhost.firehose().delivered(q.name(), d.redelivered(), d.envelope(), connection, 1, user.name());
    }
    return new Got(d, q.messageCount());
  }

  /** The queue, 404 if missing, 405 if it is a connection's exclusive queue (this is no connection). */
  public Queue queue(String name) {
    return vhost.queueOrDie(name, this);
  }

  /** How the messages of {@link #get} are settled (basic.ack / nack / reject). */
  public enum Settle {
    ACK,
    REQUEUE,
    REJECT
  }

  /**
   * Settles the unacknowledged messages {@code got} of one queue, as basic.nack / basic.reject on
   * a channel would: requeued (with the queue's retry back-off, as a client's requeue) or rejected
   * (dead-lettered or dropped). Deliveries taken without ack need nothing.
   */
  public static void settle(List<Delivery> got, Settle how) {
    Map<io.warrenmq.broker.consumer.MessageSource, List<Long>> bySource = new IdentityHashMap<>();
    for (Delivery d : got) {
      if (!d.noAck()) {
        bySource.computeIfAbsent(d.source(), s -> new ArrayList<>()).add(d.position());
      }
    }
    bySource.forEach((source, list) -> {
      long[] positions = list.stream().mapToLong(Long::longValue).toArray();
      switch (how) {
        case ACK -> source.ack(null, positions, positions.length);
        case REQUEUE -> source.retry(null, positions, positions.length);
        case REJECT -> source.reject(null, positions, positions.length);
      }
    });
  }
}
