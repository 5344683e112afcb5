package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.broker.auth.Permission.Access;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.queue.ArgumentTypes;
import org.jspecify.annotations.Nullable;

/**
 * The permission checks of the topology and publishing operations, in RabbitMQ's order
 * (rabbit_channel handle_method and its access table), for one user in one vhost. Every front door
 * runs them before the operation: the AMQP channel, and the management API, which RabbitMQ serves
 * through a channel of the same user (rabbit_mgmt_util direct_request and with_channel). A refusal
 * is a channel error 403 with rabbit_access_control's text.
 *
 * @param users the broker's users and permissions
 * @param user the user acting
 * @param vhost the vhost acted in
 */
public record AccessChecks(Users users, User user, VirtualHost vhost) {
  /** One permission on one resource ({@code kind} "queue" or "exchange"). */
  public void check(Access access, String kind, String name) {
    users.check(user, vhost.name(), access, kind, name);
  }

  /** Passive declarations: any permission on the resource (check_any_resource_access_permitted). */
  public void checkAny(String kind, String name) {
    users.checkAny(user, vhost.name(), kind, name);
  }

  /**
   * exchange.declare (not passive), after the type check: configure on the exchange; creating one
   * with an alternate exchange also needs read on it and write on the alternate exchange.
   */
  public void exchangeDeclare(String exchange, FieldTable arguments) {
    if (!exchange.isEmpty()) {
      check(Access.CONFIGURE, "exchange", exchange);
    }
    String ae = vhost.exchange(exchange) == null
        ? exchangeNameArgument(arguments, "alternate-exchange", "exchange", exchange)
        : null;
    if (ae != null) {
      check(Access.READ, "exchange", exchange);
      check(Access.WRITE, "exchange", ae);
    }
  }

  /**
   * queue.declare (not passive): configure on the queue; creating one with a dead-letter exchange
   * also needs read on it and write on the dead-letter exchange.
   */
  public void queueDeclare(String queue, FieldTable arguments) {
    check(Access.CONFIGURE, "queue", queue);
    String dlx = vhost.queue(queue) == null
        ? exchangeNameArgument(arguments, "x-dead-letter-exchange", "queue", queue)
        : null;
    if (dlx != null) {
      check(Access.READ, "queue", queue);
      check(Access.WRITE, "exchange", dlx);
    }
  }

  /** exchange.delete: configure, except for the names whose deletion the vhost refuses anyway. */
  public void exchangeDelete(String exchange) {
    if (!exchange.isEmpty() && !exchange.startsWith("amq.")) {
      check(Access.CONFIGURE, "exchange", exchange);
    }
  }

  /** queue.delete: configure on the queue. */
  public void queueDelete(String queue) {
    check(Access.CONFIGURE, "queue", queue);
  }

  /** queue.purge and basic.get (and consuming): read on the queue. */
  public void readQueue(String queue) {
    check(Access.READ, "queue", queue);
  }

  /**
   * queue.bind / exchange.bind and their unbinds: write on the destination, then the default
   * exchange refused, then read on the source, then, on a topic exchange the user has a topic
   * permission for, the binding key against its read pattern (rabbit_channel binding_action,
   * check_read_permitted_on_topic).
   */
  public void binding(String destKind, String destination, String source, String key) {
    check(Access.WRITE, destKind, destination);
    if (source.isEmpty() || (destKind.equals("exchange") && destination.isEmpty())) {
      throw TopologyErrors.defaultExchangeRefused();
    }
    check(Access.READ, "exchange", source);
    Exchange x = vhost.exchange(source);
    if (x != null) {
      users.checkTopicAccess(user, vhost.name(), x.type(), source, Access.READ, key);
    }
  }

  /**
   * basic.publish: write on the exchange, the exchange must exist and not be internal, then the
   * topic write permission on the routing key (rabbit_channel check_topic_authorisation). Returns
   * the exchange to publish to.
   */
  public Exchange publish(String exchange, String routingKey) {
    check(Access.WRITE, "exchange", exchange);
    Exchange x = vhost.exchangeForPublish(exchange);
    users.checkTopicAccess(user, vhost.name(), x.type(), x.name(), Access.WRITE, routingKey);
    return x;
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
          ArgumentTypes.typeName(v), key, kind, name, vhost.name());
    }
    return v.toString();
  }
}
