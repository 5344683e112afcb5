package io.warrenmq.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * A node's Raft address, {@code host:port}; its Raft peer id is made of the address, so that a
 * seed list of addresses is all a node needs to know of the others.
 */
public record PeerAddress(String host, int port) {
  public PeerAddress {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("a cluster peer needs a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cluster port " + port + " is not between 1 and 65535");
    }
    host = host.toLowerCase(Locale.ROOT);
  }

  /** {@code host:port}, {@code [v6]:port}, or a host alone with {@code defaultPort}. */
  public static PeerAddress parse(String s, int defaultPort) {
    String t = s.strip();
    int colon = t.lastIndexOf(':');
    boolean bracketed = t.startsWith("[");
    if (bracketed) {
      int end = t.indexOf(']');
      if (end < 0) {
        throw new IllegalArgumentException("cluster peer '" + s + "': no closing ] after the IPv6 address");
      }
      String host = t.substring(1, end);
      String rest = t.substring(end + 1);
      return new PeerAddress(host, rest.isEmpty() ? defaultPort : port(s, rest.substring(1)));
    }
    if (colon < 0 || t.indexOf(':') != colon) {
      return new PeerAddress(t, defaultPort); // a host name, IPv4 address or bare IPv6 address
    }
    return new PeerAddress(t.substring(0, colon), port(s, t.substring(colon + 1)));
  }

  private static int port(String s, String p) {
    try {
      return Integer.parseInt(p);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cluster peer '" + s + "': '" + p + "' is not a port");
    }
  }

  /** A comma-separated list, in the order given, without repeats. */
  public static List<PeerAddress> parseList(String s, int defaultPort) {
    List<PeerAddress> out = new ArrayList<>();
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        PeerAddress a = parse(part, defaultPort);
        if (!out.contains(a)) {
          out.add(a);
        }
      }
    }
    return out;
  }

  public String hostPort() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The Raft peer id: the address with {@code _} for {@code :} (Ratis puts ids in JMX names, where : is not allowed). */
  RaftPeerId id() {
    return RaftPeerId.valueOf(hostPort().replace("[", "").replace("]", "").replace(':', '_'));
  }

  RaftPeer peer() {
    return RaftPeer.newBuilder().setId(id()).setAddress(hostPort()).build();
  }

  @Override
  public String toString() {
    return hostPort();
  }
}
