package io.warrenmq.server.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.warrenmq.broker.Broker;
import io.warrenmq.server.amqp.AddressNames;
import io.warrenmq.server.config.BrokerConfig;
import io.warrenmq.server.config.TcpListenOptions;
import io.warrenmq.server.config.TlsConfig;
import io.warrenmq.server.tls.TlsContext;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMQP listener: one acceptor thread and one event loop per core (epoll where available,
 * NIO otherwise), TCP_NODELAY, and explicit write-buffer water marks so that a slow consumer
 * makes its channel unwritable and its queues stop dispatching to it.
 *
 * <p>It listens on every address of {@code bind}, all on one port: with port 0 the first bind
 * picks it and the others take the same. An address that cannot be bound stops the start with an
 * error naming it; only the default's {@code ::1} is left out, with a warning, on a host that has
 * no IPv6 loopback. An IPv4 address gets an IPv4 socket; when IPv4 addresses are in the list,
 * IPv6 sockets are IPv6-only (epoll), so that {@code 0.0.0.0,::} binds both wildcards on one port,
 * while {@code ::} alone is dual-stack.
 *
 * <p>The AMQPS listeners ({@code listeners.ssl.*}) are the same with an {@link
 * io.netty.handler.ssl.SslHandler} first in the pipeline, made by the {@link TlsContext} in effect
 * when the connection is accepted.
 *
 * <p>Threading: start and close from one thread (the server's); the listeners run on the groups.
 */
public final class AmqpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AmqpServer.class);
  /** Linux setsockopt(IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26). */
  private static final IntegerUnixChannelOption IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);
  /** With port 0, how often a port taken on a later address (by someone else) is tried again. */
  private static final int PORT_ATTEMPTS = 5;

  private final BrokerConfig config;
  private final Broker broker;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final boolean epoll;
  private final List<Channel> serverChannels = new ArrayList<>();
  private final List<Channel> tlsChannels = new ArrayList<>();
  private final @Nullable TlsContext tls;
  private List<String> listeners = List.of();
  private List<String> tlsListeners = List.of();

  public AmqpServer(BrokerConfig config, Broker broker) {
    this(config, broker, null);
  }

  /** With {@code tls}, the AMQPS listeners of {@code config.tls()} use it. */
  public AmqpServer(BrokerConfig config, Broker broker, @Nullable TlsContext tls) {
    this.config = config;
    this.broker = broker;
    this.tls = tls;
    this.epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.boss = new MultiThreadIoEventLoopGroup(1, io);
    this.workers = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
  }

  /**
   * Binds a listener on each address; returns the port they share, -1 with the plain listener off.
   *
   * @throws IOException naming the address that could not be resolved or bound
   */
  public int start() throws IOException, InterruptedException {
    List<InetAddress> addresses = resolve(config.bindAddresses());
    // listeners.tcp = none: AMQPS only, on bind's addresses unless a listener names its own
    int port = config.plainListener() ? bindWithRetries(addresses, config.port(), null, serverChannels) : -1;
    listeners = names(serverChannels);
    if (tls != null) {
      for (TlsConfig.Listener l : config.tls().amqpListeners()) {
        List<InetAddress> at = l.ip().isEmpty() ? addresses : List.of(resolveOne(l.ip(), l.key()));
        bindWithRetries(at, l.port(), tls, tlsChannels);
      }
      tlsListeners = names(tlsChannels);
    }
    return port;
  }

  private static List<String> names(List<Channel> channels) {
    return channels.stream().map(c -> AddressNames.of((InetSocketAddress) c.localAddress())).toList();
  }

  private int bindWithRetries(List<InetAddress> addresses, int port, @Nullable TlsContext ssl, List<Channel> into)
      throws InterruptedException, BindException {
    for (int attempt = 1; ; attempt++) {
      List<Channel> bound = new ArrayList<>();
      try {
        int p = bindAll(addresses, port, ssl, bound);
        into.addAll(bound);
        return p;
      } catch (BindException e) {
        bound.forEach(c -> c.close().syncUninterruptibly());
        if (port != 0 || attempt == PORT_ATTEMPTS) {
          stopAccepting();
          throw e;
        }
        log.debug("port taken on a later address, picking another: {}", e.getMessage());
      }
    }
  }

  private static InetAddress resolveOne(String name, String key) throws IOException {
    try {
      return InetAddress.getByName(name);
    } catch (UnknownHostException e) {
      throw new IOException("cannot listen on '" + name + "' (" + key + "): unknown host", e);
    }
  }

  private List<InetAddress> resolve(List<String> names) throws IOException {
    boolean optionalIpv6Loopback = config.bind().equals(BrokerConfig.DEFAULT_BIND);
    List<InetAddress> out = new ArrayList<>();
    for (String name : names) {
      InetAddress a;
      try {
        a = InetAddress.getByName(name);
      } catch (UnknownHostException e) {
        throw new IOException("cannot listen on '" + name + "' (bind): unknown host", e);
      }
      if (optionalIpv6Loopback && name.equals("::1") && !hasIpv6Loopback(a)) {
        log.warn("not listening on [::1]: this host has no IPv6 loopback address");
        continue;
      }
      out.add(a);
    }
    return out;
  }

  private static boolean hasIpv6Loopback(InetAddress a) {
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private int bindAll(List<InetAddress> addresses, int port, @Nullable TlsContext ssl, List<Channel> into)
      throws InterruptedException, BindException {
    boolean anyIpv4 = addresses.stream().anyMatch(a -> a instanceof Inet4Address);
    for (InetAddress a : addresses) {
      boolean ipv4 = a instanceof Inet4Address;
      ServerBootstrap b = bootstrap(ipv4 ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6, ssl);
      if (epoll && anyIpv4 && !ipv4) {
        b.option(IPV6_V6ONLY, 1); // the IPv4 listeners take IPv4; a dual-stack :: would collide with them
      }
      Channel ch;
      try {
        ch = b.bind(new InetSocketAddress(a, port)).sync().channel();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) { // Netty's sync rethrows the socket's exception undeclared
        BindException named = new BindException(
            "cannot listen on " + AddressNames.ntoab(a) + ":" + port + (ssl == null ? " (bind): " : " (listeners.ssl): ")
            + e.getMessage());
        named.initCause(e);
        throw named;
      }
      into.add(ch);
      port = ((InetSocketAddress) ch.localAddress()).getPort();
    }
    return port;
  }

  /** Linux's TCP_MAXSEG (IPPROTO_TCP 6, option 2): Netty's epoll transport has no name for it. */
  private static final IntegerUnixChannelOption TCP_MAXSEG = new IntegerUnixChannelOption("TCP_MAXSEG", 6, 2);

  /** A bootstrap whose listening socket is of {@code family} (an IPv4 address gets an IPv4 socket). */
  private ServerBootstrap bootstrap(SocketProtocolFamily family, @Nullable TlsContext ssl) {
    TcpListenOptions tcp = config.tcp();
    ChannelFactory<ServerChannel> sockets = epoll
        ? () -> new EpollServerSocketChannel(family)
        : () -> new NioServerSocketChannel(SelectorProvider.provider(), family);
    return new ServerBootstrap()
        .group(boss, workers)
        .channelFactory(sockets)
        .option(ChannelOption.SO_BACKLOG, tcp.backlog())
        .option(ChannelOption.SO_REUSEADDR, true)
        // the largest segment sent and asked for, inherited by the connections (TcpListenOptions)
        .option(TCP_MAXSEG, epoll && tcp.mss() > 0 ? tcp.mss() : null)
        .childOption(ChannelOption.TCP_NODELAY, tcp.nodelay())
        .childOption(ChannelOption.SO_KEEPALIVE, tcp.keepalive())
        .childOption(ChannelOption.SO_SNDBUF, tcp.sndbuf() > 0 ? tcp.sndbuf() : null)
        .childOption(ChannelOption.SO_RCVBUF, tcp.recbuf() > 0 ? tcp.recbuf() : null)
        // unsent bytes beyond it wait in the queue, not the kernel (TcpListenOptions); Linux only
        .childOption(EpollChannelOption.TCP_NOTSENT_LOWAT, epoll && tcp.notsentLowat() > 0 ? (long) tcp.notsentLowat() : null)
        .childOption(ChannelOption.ALLOCATOR, ByteBufAllocator.DEFAULT)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
        .childHandler(new AmqpChannelInitializer(config, broker, ssl));
  }

  /** The listeners once started, as RabbitMQ names them: {@code 127.0.0.1:5672}, {@code [::1]:5672}. */
  public List<String> listeners() {
    return listeners;
  }

  /** The bound addresses of the listeners once started. */
  public List<InetSocketAddress> boundAddresses() {
    return serverChannels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
  }

  /** The AMQPS listeners once started, named as {@link #listeners()}. */
  public List<String> tlsListeners() {
    return tlsListeners;
  }

  /** The bound addresses of the AMQPS listeners once started. */
  public List<InetSocketAddress> boundTlsAddresses() {
    return tlsChannels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
  }

  /** The acceptor group, shared with the HTTP listeners (one server stack). */
  public EventLoopGroup boss() {
    return boss;
  }

  /** The event loops every connection runs on, AMQP and HTTP alike. */
  public EventLoopGroup workers() {
    return workers;
  }

  /** The listening socket type of this transport (epoll or NIO). */
  public Class<? extends ServerChannel> serverChannelType() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public String transport() {
    return epoll ? "epoll" : "nio";
  }

  /** Stops accepting new connections; existing ones stay. */
  public void stopAccepting() {
    for (Channel c : serverChannels) {
      c.close().syncUninterruptibly();
    }
    serverChannels.clear();
    for (Channel c : tlsChannels) {
      c.close().syncUninterruptibly();
    }
    tlsChannels.clear();
  }

  @Override
  public void close() {
    stopAccepting();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
