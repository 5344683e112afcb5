package io.warrenmq.server.amqp;

import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ConnectionView} of one {@link AmqpConnectionHandler}: what rabbitmqctl
 * list_connections and the management API show of it, read from its handshake, lifecycle,
 * channel table and traffic counter.
 *
 * <p>Threading: the addresses are set once on the event loop before the connection is registered
 * (volatile); every getter may be called from any thread and reads plain fields the event loop
 * writes, so it may see a slightly stale value. {@link #close} hops onto the event loop.
 */
final class ConnectionInfo implements ConnectionView {
  private final AmqpConnectionHandler connection;
  private final String pid;
  private final TrafficCountHandler traffic = new TrafficCountHandler();
  private final long connectedAt = System.currentTimeMillis();
  private volatile String name = "?";
  private volatile String peerHost = "";
  private volatile int peerPort;
  private volatile String host = "";
  private volatile int port;
  private volatile boolean ssl;

  ConnectionInfo(AmqpConnectionHandler connection, String pid) {
    this.connection = connection;
    this.pid = pid;
  }

  /** The socket is up: its addresses, and the name RabbitMQ gives the connection. */
  void connected(InetSocketAddress remote, InetSocketAddress local, boolean ssl) {
    this.ssl = ssl;
    peerHost = AddressNames.ntoa(remote.getAddress());
    peerPort = remote.getPort();
    host = AddressNames.ntoa(local.getAddress());
    port = local.getPort();
    // rabbit_net:connection_string: "peer:port -> local:port", an IPv6 address in brackets (ntoab)
    name = AddressNames.of(remote) + " -> " + AddressNames.of(local);
  }

  /** The handler that counts this connection's bytes (the pipeline's first). */
  TrafficCountHandler traffic() {
    return traffic;
  }

  private @Nullable Handshake handshake() {
    return connection.handshakeIfStarted();
  }

  @Override
  public String pid() {
    return pid;
  }

  @Override
  public boolean owns(Object owner) {
    return owner == connection.owner();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean ssl() {
    return ssl;
  }

  @Override
  public @Nullable String sslProtocol() {
    javax.net.ssl.SSLSession s = connection.tlsSession();
    return s == null ? null : s.getProtocol().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public @Nullable String sslCipher() {
    javax.net.ssl.SSLSession s = connection.tlsSession();
    return s == null ? null : s.getCipherSuite();
  }

  @Override
  public String userName() {
    Handshake h = handshake();
    User u = h == null ? null : h.user();
    return u == null ? "" : u.name();
  }

  @Override
  public String vhostName() {
    Handshake h = handshake();
    VirtualHost v = h == null ? null : h.vhost();
    return v == null ? "" : v.name();
  }

  @Override
  public int channelCount() {
    return connection.channelViews().size();
  }

  @Override
  public List<ChannelView> channels() {
    return connection.channelViews();
  }

  @Override
  public String clientName() {
    Handshake h = handshake();
    return h == null ? "" : h.clientName();
  }

  @Override
  public FieldTable clientProperties() {
    Handshake h = handshake();
    return h == null ? FieldTable.EMPTY : h.clientProperties();
  }

  @Override
  public long connectedAt() {
    return connectedAt;
  }

  @Override
  public String peerHost() {
    return peerHost;
  }

  @Override
  public int peerPort() {
    return peerPort;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String state() {
    return switch (connection.lifecycleState()) {
      case HANDSHAKE -> {
        Handshake h = handshake();
        yield h == null ? "starting" : h.stateName();
      }
      case OPEN -> {
        String t = connection.throttleState();
        yield t == null ? "running" : t;
      }
      case CLOSING -> "closing";
      case CLOSED -> "closed";
    };
  }

  @Override
  public int timeout() {
    Handshake h = handshake();
    return h == null ? 0 : h.heartbeat();
  }

  @Override
  public int frameMax() {
    Handshake h = handshake();
    return h == null ? 0 : h.frameMax();
  }

  @Override
  public int channelMax() {
    Handshake h = handshake();
    return h == null ? 0 : h.channelMax();
  }

  @Override
  public String authMechanism() {
    Handshake h = handshake();
    return h == null ? "" : h.mechanism();
  }

  @Override
  public long recvOct() {
    return traffic.recvOct();
  }

  @Override
  public long recvCnt() {
    return traffic.recvCnt();
  }

  @Override
  public long sendOct() {
    return traffic.sendOct();
  }

  @Override
  public long sendCnt() {
    return traffic.sendCnt();
  }

  @Override
  public long sendPend() {
    return traffic.sendPend();
  }

  @Override
  public void close(ReplyCode code, String text) {
    connection.closeFromBroker(code, text);
  }

  @Override
  public String toString() {
    return "connection " + name + " (" + pid + ")";
  }
}
