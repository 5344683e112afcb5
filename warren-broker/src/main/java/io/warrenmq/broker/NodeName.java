package io.warrenmq.broker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The node's name as RabbitMQ spells its own ({@code rabbit@<short host name>}): {@code
 * warren@<short host name>}. Shown where RabbitMQ shows its node (the firehose's {@code node}
 * header, listings, the management API).
 */
public final class NodeName {
  private NodeName() {}

  /** {@code warren@} and the host's name up to its first dot ({@code localhost} if unknown). */
  public static String local() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "localhost";
      }
    }
    int dot = host.indexOf('.');
    return "warren@" + (dot > 0 ? host.substring(0, dot) : host).toLowerCase(Locale.ROOT);
  }
}
