package io.warrenmq.broker.view;

import io.warrenmq.amqp.ReplyCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The live client connections, for listings and for closing them from the broker. Thread-safe. */
public final class ConnectionRegistry {
  private final Set<ConnectionView> connections = ConcurrentHashMap.newKeySet();

  public void add(ConnectionView c) {
    connections.add(c);
  }

  public void remove(ConnectionView c) {
    connections.remove(c);
  }

  public int size() {
    return connections.size();
  }

  public List<ConnectionView> list() {
    List<ConnectionView> l = new ArrayList<>(connections);
    l.sort(Comparator.comparingLong(ConnectionView::connectedAt));
    return l;
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
