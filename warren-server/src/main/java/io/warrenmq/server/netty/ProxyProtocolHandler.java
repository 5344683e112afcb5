package io.warrenmq.server.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol.AddressFamily;
import io.netty.util.ReferenceCountUtil;
import io.warrenmq.server.amqp.AddressNames;
import io.warrenmq.server.amqp.ClientAddresses;
import io.warrenmq.server.config.ProxyProtocolConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code proxy_protocol = true}: every connection must start with a PROXY protocol header, v1 or
 * v2 (https://www.haproxy.org/download/3.0/doc/proxy-protocol.txt), as RabbitMQ requires with that
 * key; on an AMQPS listener too, before the TLS handshake. The header's source and destination
 * become the connection's {@link ClientAddresses}: its name, peer_host and peer_port, and the
 * address loopback_users judges. A v2 LOCAL header (the balancer's own health check) and one
 * without IP addresses (v1 UNKNOWN, a Unix socket) leave the socket's addresses.
 *
 * <p>It sits after the {@link ProxyHeaderDecoder} and alone: the connection's own handlers (TLS,
 * protocol header, AMQP) are added by {@code then} once the header is in, so that their timers
 * start then and they never see a refused connection. It then fires {@code channelActive} to them
 * and removes itself; the decoder removes itself after it and passes on the bytes that came with
 * the header.
 *
 * <p>Refused, with a warning naming the peer and the reason, and closed: a peer outside
 * {@code proxy_protocol.trusted_sources}, a connection that does not start with a header, a
 * malformed header, or none within {@code handshake_timeout} (RabbitMQ waits 3 s). A peer that
 * closes before a header (a TCP health check) is logged at debug only, as RabbitMQ does.
 *
 * <p>Threading: confined to the connection's event loop. Buffers: it releases the header message.
 */
final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ProxyProtocolHandler.class);

  private final ProxyProtocolConfig config;
  private final long timeoutMs;
  private final Consumer<ChannelPipeline> then;
  private @Nullable ScheduledFuture<?> timer;
  private boolean settled;

  private ProxyProtocolHandler(ProxyProtocolConfig config, long timeoutMs, Consumer<ChannelPipeline> then) {
    this.config = config;
    this.timeoutMs = timeoutMs;
    this.then = then;
  }

  /** Adds the decoder and this handler; {@code then} adds the connection's handlers after the header. */
  static void addTo(ChannelPipeline p, ProxyProtocolConfig config, long timeoutMs, Consumer<ChannelPipeline> then) {
    p.addLast(PipelineNames.PROXY_HEADER, new ProxyHeaderDecoder())
        .addLast(PipelineNames.PROXY_PROTOCOL, new ProxyProtocolHandler(config, timeoutMs, then));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
    if (!config.trusts(peer.getAddress())) {
      refuse(ctx, AddressNames.ntoa(peer.getAddress()) + " is not in proxy_protocol.trusted_sources");
      return;
    }
    timer = ctx.executor().schedule(
        () -> refuse(ctx, "no PROXY protocol header within " + timeoutMs + " ms"), timeoutMs, TimeUnit.MILLISECONDS);
    // channelActive goes on with the header, once the connection's handlers are there
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (settled || !(msg instanceof HAProxyMessage header)) {
      ReferenceCountUtil.release(msg); // what follows a refused header, on its way to a closed socket
      return;
    }
    try {
      accept(ctx, header);
    } finally {
      header.release();
    }
  }

  private void accept(ChannelHandlerContext ctx, HAProxyMessage header) {
    settle();
    ClientAddresses at = addresses(header);
    if (at != null) {
      ctx.channel().attr(ClientAddresses.KEY).set(at);
    } else {
      log.debug("connection {}: PROXY protocol header {} {}, the socket's addresses stand", socketName(ctx),
          header.command(), header.proxiedProtocol());
    }
    then.accept(ctx.pipeline());
    ctx.fireChannelActive();
    ctx.pipeline().remove(this);
  }

  /** The header's addresses, or null when the socket's stand (LOCAL, UNKNOWN, Unix sockets). */
  static @Nullable ClientAddresses addresses(HAProxyMessage h) {
    AddressFamily family = h.proxiedProtocol().addressFamily();
    if (h.command() != HAProxyCommand.PROXY || (family != AddressFamily.AF_IPv4 && family != AddressFamily.AF_IPv6)) {
      return null;
    }
    // the decoder checked both literals; ofLiteral never looks a name up
    return ClientAddresses.proxied(
        new InetSocketAddress(InetAddress.ofLiteral(h.sourceAddress()), h.sourcePort()),
        new InetSocketAddress(InetAddress.ofLiteral(h.destinationAddress()), h.destinationPort()));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (settled) {
      log.debug("connection {}: {}", socketName(ctx), cause.toString());
      ctx.close(); // refused already, or the connection's handlers could not be added
    } else if (cause instanceof ProxyHeaderDecoder.NoHeader) {
      refuse(ctx, cause.getMessage());
    } else if (cause instanceof HAProxyProtocolException) {
      refuse(ctx, "bad PROXY protocol header: " + innermost(cause).getMessage());
    } else if (cause instanceof IOException) {
      settle();
      log.debug("connection {}: {} before a PROXY protocol header", socketName(ctx), cause.toString());
      ctx.close();
    } else {
      refuse(ctx, cause.toString());
    }
  }

  /** Netty wraps the reason in an exception or two whose messages repeat the class names. */
  private static Throwable innermost(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!settled) {
      settle();
      log.debug("connection {} closed before sending a PROXY protocol header", socketName(ctx));
    }
    ctx.fireChannelInactive();
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    if (settled) {
      return;
    }
    settle();
    log.warn("refusing connection {} (proxy_protocol): {}", socketName(ctx), reason);
    ctx.close();
  }

  private void settle() {
    settled = true;
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
  }

  /** The socket's ends as RabbitMQ names a connection: the balancer's address first. */
  private static String socketName(ChannelHandlerContext ctx) {
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress r && ctx.channel().localAddress() instanceof InetSocketAddress l) {
      return AddressNames.of(r) + " -> " + AddressNames.of(l);
    }
    return String.valueOf(ctx.channel().remoteAddress());
  }
}
