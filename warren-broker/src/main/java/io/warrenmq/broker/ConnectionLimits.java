package io.warrenmq.broker;

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

  ConnectionLimits(Broker broker) {
    this.broker = broker;
  }

  /** connection.open of {@code user} to {@code vhost}: 530 at either max-connections. */
  public void checkOpen(VirtualHost vhost, String user) {
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
