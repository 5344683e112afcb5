package io.warrenmq.broker.limits;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;

/**
 * The refusals of RabbitMQ 3.13.7 when a limit is reached. Each check is made once, when a
 * connection opens, a channel opens or a queue is created; none runs per message.
 */
public final class LimitChecks {
  private LimitChecks() {}

  /** Whether {@code count} objects already use up {@code limit} (-1: no limit; 0 refuses all). */
  static boolean reached(long limit, long count) {
    return limit == 0 || limit > 0 && count >= limit;
  }

  /**
   * connection.open to a vhost at its max-connections: 530 NOT_ALLOWED (rabbit_reader,
   * is_over_vhost_connection_limit).
   */
  public static void vhostConnections(Limits vhostLimits, long open, String vhost, String user) {
    long limit = vhostLimits.get("max-connections");
    if (reached(limit, open)) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED,
          "access to vhost '%s' refused for user '%s': connection limit (%d) is reached", vhost, user, limit);
    }
  }

  /**
   * connection.open by a user at its max-connections: 530 NOT_ALLOWED (rabbit_reader,
   * is_over_user_connection_limit), checked after the vhost's limit.
   */
  public static void userConnections(Limits userLimits, long open, String user) {
    long limit = userLimits.get("max-connections");
    if (reached(limit, open)) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED,
          "connection refused for user '%s': user connection limit (%d) is reached", user, limit);
    }
  }

  /**
   * channel.open by a user at its max-channels: a connection error 530 NOT_ALLOWED (rabbit_reader,
   * create_channel and is_over_limits). RabbitMQ 3.13.7 formats this text with the node's name
   * where the user's belongs ({@code [node(), Limit]}); the same text goes out here.
   */
  public static void userChannels(Limits userLimits, long open, String node) {
    long limit = userLimits.get("max-channels");
    if (reached(limit, open)) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED,
          "number of channels opened for user '%s' has reached the maximum allowed user limit of (%d)", node, limit);
    }
  }

  /**
   * queue.declare of a new queue in a vhost at its max-queues: a channel error 406
   * PRECONDITION_FAILED (rabbit_queue_type check_vhost_queue_limit, rabbit_vhost_limit
   * would_exceed_queue_limit: the count plus the new queue over the limit).
   */
  public static void vhostQueues(Limits vhostLimits, long existing, String vhost, String queue) {
    long limit = vhostLimits.get("max-queues");
    if (limit == 0 || limit > 0 && existing + 1 > limit) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "cannot declare queue '%s': queue limit in vhost '%s' (%d) is reached", queue, vhost, limit);
    }
  }
}
