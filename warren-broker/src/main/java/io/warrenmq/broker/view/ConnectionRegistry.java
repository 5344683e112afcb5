package io.warrenmq.broker.view;

import io.warrenmq.amqp.ReplyCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live client connections, for listings and for closing them from the broker (warrenctl,
 * management, vhost and user deletion, shutdown). Thread-safe.
 */
public final class ConnectionRegistry {
  private static final Logger log = LoggerFactory.getLogger(ConnectionRegistry.class);
  private final Set<ConnectionView> connections = ConcurrentHashMap.newKeySet();
  /** Open connections by vhost and by user, for the max-connections limits (counted, never scanned). */
  private final Map<String, AtomicInteger> byVhost = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> byUser = new ConcurrentHashMap<>();

  /** An opened connection (its vhost and user are set). */
  public void add(ConnectionView c) {
    if (connections.add(c)) {
      byVhost.computeIfAbsent(c.vhostName(), k -> new AtomicInteger()).incrementAndGet();
      byUser.computeIfAbsent(c.userName(), k -> new AtomicInteger()).incrementAndGet();
    }
  }

  public void remove(ConnectionView c) {
    if (connections.remove(c)) {
      byVhost.computeIfPresent(c.vhostName(), (k, n) -> n.decrementAndGet() == 0 ? null : n);
      byUser.computeIfPresent(c.userName(), (k, n) -> n.decrementAndGet() == 0 ? null : n);
    }
  }

  /** The open connections to {@code vhost} (rabbit_connection_tracking count_tracked_items_in vhost). */
  public int countInVhost(String vhost) {
    AtomicInteger n = byVhost.get(vhost);
    return n == null ? 0 : n.get();
  }

  /** The open connections of {@code user}. */
  public int countOfUser(String user) {
    AtomicInteger n = byUser.get(user);
    return n == null ? 0 : n.get();
  }

  /** The open channels of {@code user} over all its connections (asked only when it has a limit). */
  public int channelsOfUser(String user) {
    int n = 0;
    for (ConnectionView c : connections) {
      if (c.userName().equals(user)) {
        n += c.channelCount();
      }
    }
    return n;
  }

  public int size() {
    return connections.size();
  }

  public List<ConnectionView> list() {
    List<ConnectionView> l = new ArrayList<>(connections);
    l.sort(Comparator.comparingLong(ConnectionView::connectedAt));
    return l;
  }

  /** The open connections to {@code vhost}, oldest first. */
  public List<ConnectionView> list(String vhost) {
    return list().stream().filter(c -> c.vhostName().equals(vhost)).toList();
  }

  /** The connection with this pid, or else this name (rabbitmqctl names it by pid), or null. */
  public @Nullable ConnectionView find(String pidOrName) {
    for (ConnectionView c : connections) {
      if (c.pid().equals(pidOrName)) {
        return c;
      }
    }
    for (ConnectionView c : connections) {
      if (c.name().equals(pidOrName)) {
        return c;
      }
    }
    return null;
  }

  /**
   * An operator closes a connection: connection.close 320 with the explanation as text,
   * "CONNECTION_FORCED - explanation" (RabbitMQ rabbit_networking:close_connection, then
   * rabbit_reader's amqp_error(connection_forced, "~ts", [Explanation])).
   */
  public void close(ConnectionView c, String explanation) {
    log.info("closing connection {} ({}) because '{}'", c.pid(), c.name(), explanation);
    c.close(ReplyCode.CONNECTION_FORCED, explanation);
  }

  /** A vhost is going away: its connections are closed with 320 CONNECTION_FORCED. */
  public void closeVhost(String vhost) {
    for (ConnectionView c : connections) {
      if (c.vhostName().equals(vhost)) {
        c.close(ReplyCode.CONNECTION_FORCED, "vhost '" + vhost + "' is deleted");
      }
    }
  }

  /** A user was deleted: their connections are closed with 320 CONNECTION_FORCED. */
  public void closeUser(String user) {
    for (ConnectionView c : connections) {
      if (c.userName().equals(user)) {
        c.close(ReplyCode.CONNECTION_FORCED, "user '" + user + "' is deleted");
      }
    }
  }

  /** Broker shutdown. */
  public void closeAll(String text) {
    for (ConnectionView c : connections) {
      c.close(ReplyCode.CONNECTION_FORCED, text);
    }
  }
}
