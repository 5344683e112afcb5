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
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.broker.auth.Permission.Access;
import io.warrenmq.broker.auth.TopicPermission;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.queue.ArgumentTypes;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.queue.ReplyQueue;
import io.warrenmq.broker.vhost.QueueDeclareResult;
import io.warrenmq.broker.vhost.VirtualHost;
import org.jspecify.annotations.Nullable;

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

  private void check(Access access, String kind, String name) {
    Users users = session.broker().users();
    User u = session.user();
    users.check(u, vhost().name(), access, kind, name);
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
      session.broker().users().checkAny(session.user(), vhost().name(), "exchange", exchange);
      vhost().declareExchangePassive(exchange);
      channel.reply(m.nowait() ? null : new ExchangeDeclareOk());
      return;
    }
    VirtualHost.checkExchangeType(m.type()); // RabbitMQ checks the type first
    if (!exchange.isEmpty()) {
      check(Access.CONFIGURE, "exchange", exchange);
    }
    String ae = vhost().exchange(exchange) == null
        ? exchangeNameArgument(m.arguments(), "alternate-exchange", "exchange", exchange)
        : null;
    if (ae != null) {
      // RabbitMQ: declaring an exchange with an alternate exchange needs write on the latter
      check(Access.READ, "exchange", exchange);
      check(Access.WRITE, "exchange", ae);
    }
    ExchangeSpec spec = new ExchangeSpec(vhost().name(), exchange, m.type(), m.durable(),
        m.autoDelete(), m.internal(), m.arguments());
    runner.runBlocking(m, () -> {
      vhost().declareExchange(spec);
      return () -> channel.reply(m.nowait() ? null : new ExchangeDeclareOk());
    });
  }

  /**
   * An argument naming an exchange (alternate-exchange, x-dead-letter-exchange) of a resource
   * being created: null if absent, 406 unless a string (RabbitMQ's rabbit_misc:r_arg check).
   */
  private @Nullable String exchangeNameArgument(FieldTable args, String key, String kind, String name) {
    if (!args.containsKey(key)) {
      return null;
    }
    Object v = args.get(key);
    if (!(v instanceof LongString || v instanceof String)) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "invalid type '%s' for arg '%s' in %s '%s' in vhost '%s'",
          ArgumentTypes.typeName(v), key, kind, name, vhost().name());
    }
    return v.toString();
  }

  void exchangeDelete(ExchangeDelete m) {
    String exchange = stripCrLf(m.exchange());
    if (!exchange.isEmpty() && !exchange.startsWith("amq.")) {
      check(Access.CONFIGURE, "exchange", exchange);
    }
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

  /**
   * Binding needs write on the destination and read on the source (RabbitMQ's access table), in
   * RabbitMQ's order: write, then the default exchange, then read, then, if the source is a topic
   * exchange the user has a topic permission for, the binding key against its read pattern
   * (rabbit_channel, binding_action: check_read_permitted_on_topic, for bind and unbind alike).
   */
  private void checkBinding(String destKind, String destination, String source, String key) {
    check(Access.WRITE, destKind, destination);
    if (source.isEmpty() || (destKind.equals("exchange") && destination.isEmpty())) {
      throw VirtualHost.defaultExchangeRefused();
    }
    check(Access.READ, "exchange", source);
    io.warrenmq.broker.exchange.Exchange x = vhost().exchange(source);
    if (x != null) {
      TopicPermission p = session.broker().users().topicPermission(session.user(), vhost().name(), x.type(), source);
      if (p != null) {
        Users.checkTopic(p, session.user(), vhost().name(), Access.READ, key);
      }
    }
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
      session.broker().users().checkAny(session.user(), vhost().name(), "queue", name);
      QueueDeclareResult r = vhost().declareQueuePassive(name, session.owner());
      lastDeclaredQueue = name;
      channel.reply(m.nowait() ? null : new QueueDeclareOk(name, r.messageCount(), r.consumerCount()));
      return;
    }
    String name = queueName.isEmpty() ? VirtualHost.generateName() : queueName;
    check(Access.CONFIGURE, "queue", name);
    String dlx = vhost().queue(name) == null
        ? exchangeNameArgument(m.arguments(), "x-dead-letter-exchange", "queue", name)
        : null;
    if (dlx != null) {
      check(Access.READ, "queue", name);
      check(Access.WRITE, "exchange", dlx);
    }
    QueueSpec spec = new QueueSpec(vhost().name(), name, m.durable(), m.exclusive(), m.autoDelete(), m.arguments());
    Object owner = session.owner();
    runner.runBlocking(m, () -> {
      QueueDeclareResult r = vhost().declareQueue(spec, queueName.isEmpty(), owner);
      return () -> {
        lastDeclaredQueue = name;
        channel.reply(m.nowait() ? null : new QueueDeclareOk(name, r.messageCount(), r.consumerCount()));
      };
    });
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
    check(Access.READ, "queue", queue);
    Object owner = session.owner();
    runner.runBlocking(m, () -> {
      long n = vhost().purgeQueue(queue, owner);
      return () -> channel.reply(m.nowait() ? null : new QueuePurgeOk(n));
    });
  }

  void queueDelete(QueueDelete m) {
    String queue = stripCrLf(expandQueue(m.queue()));
    check(Access.CONFIGURE, "queue", queue);
    Object owner = session.owner();
    runner.runBlocking(m, () -> {
      long n = vhost().deleteQueue(queue, m.ifUnused(), m.ifEmpty(), owner);
      return () -> channel.reply(m.nowait() ? null : new QueueDeleteOk(n));
    });
  }
}
