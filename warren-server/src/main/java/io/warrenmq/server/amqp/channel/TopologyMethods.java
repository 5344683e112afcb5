package io.warrenmq.server.amqp.channel;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.method.ExchangeBind;
import io.warrenmq.amqp.method.ExchangeBindOk;
import io.warrenmq.amqp.method.ExchangeDeclare;
import io.warrenmq.amqp.method.ExchangeDeclareOk;
import io.warrenmq.amqp.method.ExchangeDelete;
import io.warrenmq.amqp.method.ExchangeDeleteOk;
import io.warrenmq.amqp.method.ExchangeUnbind;
import io.warrenmq.amqp.method.ExchangeUnbindOk;
import io.warrenmq.amqp.method.QueueBind;
import io.warrenmq.amqp.method.QueueBindOk;
import io.warrenmq.amqp.method.QueueDeclare;
import io.warrenmq.amqp.method.QueueDeclareOk;
import io.warrenmq.amqp.method.QueueDelete;
import io.warrenmq.amqp.method.QueueDeleteOk;
import io.warrenmq.amqp.method.QueuePurge;
import io.warrenmq.amqp.method.QueuePurgeOk;
import io.warrenmq.amqp.method.QueueUnbind;
import io.warrenmq.amqp.method.QueueUnbindOk;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.queue.RemoteQueue;
import io.warrenmq.broker.queue.ReplyQueue;
import io.warrenmq.broker.vhost.AccessChecks;
import io.warrenmq.broker.vhost.QueueDeclareResult;
import io.warrenmq.broker.vhost.VirtualHost;

/**
 * The exchange.* and queue.* methods of one channel: permission checks in RabbitMQ's order, the
 * queue-name shortcuts of AMQP 0-9-1 (an empty queue name means the channel's most recently
 * declared queue) and the replies, sent once the definitions they changed are durable.
 *
 * <p>Threading: confined to the connection's event loop.
 */
final class TopologyMethods {
  private final AmqpChannel channel;
  private final Session session;
  private final TopologyRunner runner;
  private String lastDeclaredQueue = "";

  TopologyMethods(AmqpChannel channel, Session session) {
    this.channel = channel;
    this.session = session;
    this.runner = new TopologyRunner(channel, session);
  }

  private VirtualHost vhost() {
    return session.vhost();
  }

  /** The permission checks of this channel's user in its vhost (RabbitMQ's order, shared with the HTTP API). */
  private AccessChecks checks() {
    return new AccessChecks(session.broker().users(), session.user(), vhost());
  }

  /**
   * RabbitMQ (strip_cr_lf) drops CR and LF from the names in declarations, deletions and bindings,
   * though not where messages are published, consumed, got or purged.
   */
  private static String stripCrLf(String name) {
    return name.indexOf('\r') < 0 && name.indexOf('\n') < 0 ? name : name.replace("\r", "").replace("\n", "");
  }

  /** AMQP 0-9-1 queue name shortcut: "" is the last queue declared on this channel. */
  String expandQueue(String name) {
    if (!name.isEmpty()) {
      return name;
    }
    if (lastDeclaredQueue.isEmpty()) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no previously declared queue");
    }
    return lastDeclaredQueue;
  }

  void exchangeDeclare(ExchangeDeclare m) {
    String exchange = stripCrLf(m.exchange());
    if (m.passive()) {
      if (exchange.isEmpty()) {
        throw VirtualHost.defaultExchangeRefused();
      }
      checks().checkAny("exchange", exchange);
      vhost().declareExchangePassive(exchange);
      channel.reply(m.nowait() ? null : new ExchangeDeclareOk());
      return;
    }
    VirtualHost.checkExchangeType(m.type()); // RabbitMQ checks the type first
    checks().exchangeDeclare(exchange, m.arguments());
    ExchangeSpec spec = new ExchangeSpec(vhost().name(), exchange, m.type(), m.durable(),
        m.autoDelete(), m.internal(), m.arguments());
    runner.runBlocking(m, () -> {
      vhost().declareExchange(spec);
      return () -> channel.reply(m.nowait() ? null : new ExchangeDeclareOk());
    });
  }

  void exchangeDelete(ExchangeDelete m) {
    String exchange = stripCrLf(m.exchange());
    checks().exchangeDelete(exchange);
    runner.runBlocking(m, () -> {
      vhost().deleteExchange(exchange, m.ifUnused());
      return () -> channel.reply(m.nowait() ? null : new ExchangeDeleteOk());
    });
  }

  void exchangeBind(ExchangeBind m) {
    String destination = stripCrLf(m.destination());
    String source = stripCrLf(m.source());
    checkBinding("exchange", destination, source, m.routingKey());
    runner.runQuickly(m,
        () -> vhost().tryBindExchange(destination, source, m.routingKey(), m.arguments()),
        () -> vhost().bindExchange(destination, source, m.routingKey(), m.arguments()),
        () -> channel.reply(m.nowait() ? null : new ExchangeBindOk()));
  }

  void exchangeUnbind(ExchangeUnbind m) {
    String destination = stripCrLf(m.destination());
    String source = stripCrLf(m.source());
    checkBinding("exchange", destination, source, m.routingKey());
    runner.runBlocking(m, () -> {
      vhost().unbindExchange(destination, source, m.routingKey(), m.arguments());
      return () -> channel.reply(m.nowait() ? null : new ExchangeUnbindOk());
    });
  }

  /** Binding needs write on the destination and read on the source (RabbitMQ's access table). */
  private void checkBinding(String destKind, String destination, String source, String key) {
    checks().binding(destKind, destination, source, key);
  }

  void queueDeclare(QueueDeclare m) {
    String queueName = stripCrLf(m.queue());
    if (queueName.startsWith(ReplyQueue.PSEUDO_QUEUE)) {
      // RabbitMQ: every declaration of a direct reply-to name is passive
      boolean exists = queueName.equals(ReplyQueue.PSEUDO_QUEUE) || vhost().replyQueueExists(queueName);
      if (!exists) {
        throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no queue '%s' in vhost '%s'", queueName, vhost().name());
      }
      // RabbitMQ: "if it exists it by definition has one consumer", the bare name included
      channel.reply(m.nowait() ? null : new QueueDeclareOk(queueName, 0, 1));
      return;
    }
    if (m.passive()) {
      String name = queueName; // RabbitMQ: queue.declare has no empty-name shortcut
      checks().checkAny("queue", name);
      QueueDeclareResult r = vhost().declareQueuePassive(name, session.owner());
      lastDeclaredQueue = name;
      RemoteQueue remote = r.queue() instanceof RemoteQueue rq ? rq : r.queue().servedBy();
      if (remote != null && !m.nowait()) {
        runner.runAsync(m, remote.statusRemote(), counts -> channel.reply(new QueueDeclareOk(name, counts[0], (int) counts[1])));
        return;
      }
      channel.reply(m.nowait() ? null : new QueueDeclareOk(name, r.messageCount(), r.consumerCount()));
      return;
    }
    String name = queueName.isEmpty() ? VirtualHost.generateName() : queueName;
    checks().queueDeclare(name, m.arguments());
    QueueSpec spec = new QueueSpec(vhost().name(), name, m.durable(), m.exclusive(), m.autoDelete(), m.arguments());
    Object owner = session.owner();
    runner.runBlocking(m, () -> {
      QueueDeclareResult r = vhost().declareQueue(spec, queueName.isEmpty(), owner);
      long[] counts = {r.messageCount(), r.consumerCount()};
      RemoteQueue remote = r.queue() instanceof RemoteQueue rq ? rq : r.queue().servedBy();
      if (remote != null && !m.nowait()) {
        counts = remoteCounts(remote);
      }
      long[] answer = counts;
      return () -> {
        lastDeclaredQueue = name;
        channel.reply(m.nowait() ? null : new QueueDeclareOk(name, answer[0], (int) answer[1]));
      };
    });
  }

  /**
   * The counts of a queue on another node for queue.declare-ok (on a blocking thread): the home
   * node's, or 0 and 0 if it does not answer in time (the declaration itself is done).
   */
  private static long[] remoteCounts(RemoteQueue q) {
    try {
      return q.statusRemote().get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new long[] {0, 0};
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return new long[] {0, 0};
    }
  }

  void queueBind(QueueBind m) {
    String queue = stripCrLf(expandQueue(m.queue()));
    String exchange = stripCrLf(m.exchange());
    String key = m.queue().isEmpty() && m.routingKey().isEmpty() ? queue : m.routingKey();
    checkBinding("queue", queue, exchange, key);
    Object owner = session.owner();
    runner.runQuickly(m,
        () -> vhost().tryBindQueue(queue, exchange, key, m.arguments(), owner),
        () -> vhost().bindQueue(queue, exchange, key, m.arguments(), owner),
        () -> channel.reply(m.nowait() ? null : new QueueBindOk()));
  }

  void queueUnbind(QueueUnbind m) {
    String queue = stripCrLf(expandQueue(m.queue()));
    String exchange = stripCrLf(m.exchange());
    String key = m.queue().isEmpty() && m.routingKey().isEmpty() ? queue : m.routingKey();
    checkBinding("queue", queue, exchange, key);
    Object owner = session.owner();
    runner.runBlocking(m, () -> {
      vhost().unbindQueue(queue, exchange, key, m.arguments(), owner);
      return () -> channel.reply(new QueueUnbindOk());
    });
  }

  void queuePurge(QueuePurge m) {
    String queue = expandQueue(m.queue());
    checks().readQueue(queue);
    Object owner = session.owner();
    runner.runBlocking(m, () -> {
      long n = vhost().purgeQueue(queue, owner);
      return () -> channel.reply(m.nowait() ? null : new QueuePurgeOk(n));
    });
  }

  void queueDelete(QueueDelete m) {
    String queue = stripCrLf(expandQueue(m.queue()));
    checks().queueDelete(queue);
    Object owner = session.owner();
    runner.runBlocking(m, () -> {
      long n = vhost().deleteQueue(queue, m.ifUnused(), m.ifEmpty(), owner);
      return () -> channel.reply(m.nowait() ? null : new QueueDeleteOk(n));
    });
  }
}
