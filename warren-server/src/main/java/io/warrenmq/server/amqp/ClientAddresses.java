package io.warrenmq.server.amqp;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/**
 * Where a connection comes from and where it arrived: its socket's two ends, or behind a load
 * balancer speaking the PROXY protocol (docs/configuration.md#proxy-protocol) the header's, whose
 * source is the client and destination the address it connected to on the balancer (RabbitMQ's
 * rabbit_net:socket_ends). The PROXY protocol handler sets them on the channel ({@link #KEY})
 * before the connection handler sees {@code channelActive}; a header with the LOCAL command or
 * without addresses sets none, so the socket's count. Immutable.
 *
 * @param peer the client's address and port (peer_host, peer_port, the name's left side)
 * @param local the address and port it connected to (host, port, the name's right side)
 * @param proxied whether they came from a PROXY protocol header
 */
public record ClientAddresses(InetSocketAddress peer, InetSocketAddress local, boolean proxied) {
  /** Where the PROXY protocol handler leaves the header's addresses. */
  public static final AttributeKey<ClientAddresses> KEY = AttributeKey.valueOf(ClientAddresses.class, "proxied");

  /** The addresses of a PROXY protocol header. */
  public static ClientAddresses proxied(InetSocketAddress source, InetSocketAddress destination) {
    return new ClientAddresses(source, destination, true);
  }

  /** The header's addresses set on {@code channel}, or else its socket's. */
  static ClientAddresses of(Channel channel) {
    ClientAddresses set = channel.hasAttr(KEY) ? channel.attr(KEY).get() : null;
    return set != null ? set
        : new ClientAddresses((InetSocketAddress) channel.remoteAddress(), (InetSocketAddress) channel.localAddress(), false);
  }

  /**
   * Whether a loopback_users user may log in. RabbitMQ judges the address the client connected to
   * (rabbit_net:is_loopback on the socket's own name), so ::1 and 127.0.0.0/8 count, IPv4-mapped
   * ones too. Through a load balancer RabbitMQ still judges the socket, which lets guest in from
   * anywhere when the balancer runs on the broker's host; we judge the client's source address.
   */
  boolean loopback() {
    return AddressNames.isLoopback(proxied ? peer.getAddress() : local.getAddress());
  }
}
