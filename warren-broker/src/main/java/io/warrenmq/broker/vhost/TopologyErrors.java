package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import org.jspecify.annotations.Nullable;

/** The reply texts the vhost's parts share, RabbitMQ's words. */
final class TopologyErrors {
  private TopologyErrors() {}

  /** 403 for any operation on the default exchange but publishing to it. */
  static AmqpException defaultExchangeRefused() {
    return AmqpException.channelError(ReplyCode.ACCESS_REFUSED, "operation not permitted on the default exchange");
  }

  /** 403 for a declared name with the reserved amq. prefix. */
  static void checkNotReserved(String kind, String n) {
    if (n.startsWith("amq.")) {
      throw AmqpException.channelError(
          ReplyCode.ACCESS_REFUSED, "%s name '%s' contains reserved prefix 'amq.*'", kind, n);
    }
  }

  /** RabbitMQ's name of a resource in reply texts: "queue 'q' in vhost '/'". */
  static String resource(String vhost, String kind, String n) {
    return kind + " '" + n + "' in vhost '" + vhost + "'";
  }

  /** 404 for a missing exchange or queue. */
  static AmqpException notFound(String vhost, String kind, String n) {
    return AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s", resource(vhost, kind, n));
  }

  /**
   * The ends of a binding change, checked in RabbitMQ's order: false if one is missing and this
   * is an unbind (which then succeeds doing nothing), 404 for a missing source (named first) or
   * destination of a bind, true if both are there.
   */
  static boolean bindingEnds(boolean add, String vhost, @Nullable Object source, String sourceName,
      @Nullable Object destination, String destKind, String destName) {
    if ((source == null || destination == null) && !add) {
      return false;
    }
    if (source == null) {
      throw notFound(vhost, "exchange", sourceName);
    }
    if (destination == null) {
      throw notFound(vhost, destKind, destName);
    }
    return true;
  }
}
