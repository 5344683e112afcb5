package io.warrenmq.broker;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.limits.LimitChecks;
import io.warrenmq.broker.vhost.VirtualHost;

/**
 * The limits a connection meets when it opens and when it opens a channel: the vhost's and the
 * user's max-connections, in RabbitMQ's order (rabbit_reader handle_method0 connection.open,
 * before the permission check), and the user's max-channels over all its connections
 * (rabbit_reader create_channel). Free when there is no limit: the counts are kept by the
 * connection registry, the channels are summed only for a user with a limit.
 *
 * <p>Threading: thread-safe (reads of concurrent registries).
 */
public final class ConnectionLimits {
  private final Broker broker;
  /** RabbitMQ's {@code connection_max}: most AMQP connections on the node, -1 for no limit. */
  private volatile int nodeMax = -1;

  ConnectionLimits(Broker broker) {
    this.broker = broker;
  }

  /** Sets {@code connection_max}, -1 for none (infinity). */
  public void setNodeMax(int max) {
    nodeMax = max;
  }

  /** {@code connection_max}, -1 for none. */
  public int nodeMax() {
    return nodeMax;
  }

  /** Whether the node has room for one more connection (the ready-to-serve-clients check). */
  public boolean belowNodeMax() {
    int max = nodeMax;
    return max < 0 || broker.connections().size() < max;
  }

  /**
   * connection.open of {@code user} to {@code vhost}: 530 at the node's connection_max
   * (rabbit_reader is_over_node_connection_limit, checked first), then at either max-connections.
   */
  public void checkOpen(VirtualHost vhost, String user) {
    int max = nodeMax;
    if (max >= 0 && broker.connections().size() >= max) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED,
          "connection refused: node connection limit (%d) is reached", max);
    }
    LimitChecks.vhostConnections(vhost.limits(), broker.connections().countInVhost(vhost.name()), vhost.name(), user);
    User u = broker.users().get(user);
    if (u != null && !u.limits().isEmpty()) {
      LimitChecks.userConnections(u.limits(), broker.connections().countOfUser(user), user);
    }
  }

  /** channel.open by {@code user}: 530 at its max-channels. */
  public void checkChannel(String user) {
    User u = broker.users().get(user);
    if (u != null && u.limits().get("max-channels") >= 0) {
      LimitChecks.userChannels(u.limits(), broker.connections().channelsOfUser(user), broker.pids().node());
    }
  }
}
