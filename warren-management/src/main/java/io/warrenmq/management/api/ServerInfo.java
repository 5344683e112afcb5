package io.warrenmq.management.api;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the management API knows of the server around the broker, given by warren-server: the
 * product version, the listeners (for {@code /api/overview} and the listener health checks) and
 * the resource alarms in effect (for the alarm health checks and /api/nodes).
 *
 * @param productVersion WarrenMQ's version ({@code product_version})
 * @param listeners the bound listeners, read when asked (the management one binds last)
 * @param alarms the resource alarms in effect on this node, read when asked
 */
public record ServerInfo(String productVersion, Supplier<List<Listener>> listeners, Supplier<List<Alarm>> alarms) {
  /**
   * One bound listener, as rabbit_networking:active_listeners lists it.
   *
   * @param protocol RabbitMQ's protocol name: "amqp", "amqp/ssl", "http", "https"
   * @param ip the bound address, numeric
   * @param certfile a TLS listener's certificate file ("" for a plain one), read by the
   *     certificate-expiration check
   * @param cacertfile a TLS listener's CA file ("" if none)
   */
  public record Listener(String protocol, String ip, int port, String certfile, String cacertfile) {
    /** A plain (TCP) listener. */
    public Listener(String protocol, String ip, int port) {
      this(protocol, ip, port, "", "");
    }
  }

  /**
   * A resource alarm in effect (rabbit_alarm), as the health checks list it.
   *
   * @param resource "memory" or "disk" (rabbit_alarm's resource names)
   */
  public record Alarm(String resource) {}

  /** No listeners known, no alarms: for tests that serve the API without a server. */
  public static ServerInfo none() {
    return new ServerInfo("dev", List::of, List::of);
  }
}
