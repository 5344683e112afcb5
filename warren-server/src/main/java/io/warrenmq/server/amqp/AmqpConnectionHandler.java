package io.warrenmq.server.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.frame.Frame;
import io.warrenmq.amqp.frame.Frames;
import io.warrenmq.amqp.frame.HeaderFrame;
import io.warrenmq.amqp.frame.HeartbeatFrame;
import io.warrenmq.amqp.frame.MethodFrame;
import io.warrenmq.amqp.frame.ProtocolHeaderDecoder;
import io.warrenmq.amqp.method.ConnectionClose;
import io.warrenmq.amqp.method.ConnectionUpdateSecret;
import io.warrenmq.amqp.method.Method;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.server.amqp.channel.AmqpChannel;
import io.warrenmq.server.amqp.channel.FrameSink;
import io.warrenmq.server.amqp.channel.Session;
import io.warrenmq.server.config.BrokerConfig;
import java.io.IOException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP connection: the Netty handler that takes its frames to the handshake (delegated to
 * {@link Handshake}), to the connection methods on channel 0, or to the channel they name (kept in
 * the {@link ChannelTable}); the {@link FrameSink} its channels write through, their
 * {@link Session} (a {@link ConnectionSession}), and its {@link ConnectionView} ({@link ConnectionInfo}) that management and
 * warrenctl read. Its state and the error model
 * (connection.close, close-ok, 541 for a bug, never the broker) are the
 * {@link ConnectionLifecycle}'s.
 *
 * <p>Threading: confined to the connection's event loop, with its table and lifecycle; no locks.
 * {@link #close(ReplyCode, String)} may be called from any thread and hops onto it; the
 * {@link ConnectionView} getters may be read from any thread and see plain, possibly stale fields.
 * Buffers: a frame handed to {@link #channelRead} is taken over, passed on or released.
 */
public final class AmqpConnectionHandler extends ChannelInboundHandlerAdapter
    implements FrameSink {
  private static final Logger log = LoggerFactory.getLogger(AmqpConnectionHandler.class);

  private final BrokerConfig config;
  private final Broker broker;
  private final ChannelTable channels;
  private final ConnectionLifecycle lifecycle = new ConnectionLifecycle(this);
  private final ConnectionInfo info;
  private final ConnectionCredential credential;
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable Handshake handshake;
  private @Nullable PublisherThrottle throttle;
  private String name = "?";
  private boolean registered;

  public AmqpConnectionHandler(BrokerConfig config, Broker broker) {
    this.config = config;
    this.broker = broker;
    this.channels = new ChannelTable(this, new ConnectionSession(this, config, broker));
    this.info = new ConnectionInfo(this, broker.pids().next());
    this.credential = new ConnectionCredential(this, lifecycle);
  }

  /** The TLS session once the TLS handshake is done; null on a plain connection or before. */
  @Nullable SSLSession tlsSession() {
    ChannelHandlerContext c = ctx;
    io.netty.handler.ssl.SslHandler h = c == null ? null : c.pipeline().get(io.netty.handler.ssl.SslHandler.class);
    return h == null || !h.handshakeFuture().isSuccess() ? null : h.engine().getSession();
  }

  /** The handler's context in its pipeline. */
  ChannelHandlerContext context() {
    return ctx();
  }

  private ChannelHandlerContext ctx() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      throw new IllegalStateException("not active");
    }
    return c;
  }

  // ---------------------------------------------------------------- Netty events

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ClientAddresses at = ClientAddresses.of(ctx.channel());
    info.connected(at.peer(), at.local(), ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null);
    name = info.name();
    ctx.pipeline().addFirst("traffic", info.traffic());
    handshake = new Handshake(this, config, broker, at.loopback());
    lifecycle.started(ctx, config.handshakeTimeoutMs());
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ProtocolHeaderDecoder.ACCEPTED) {
      handshake().start();
      ctx.flush();
    } else if (evt instanceof IdleStateEvent e) {
      lifecycle.idle(ctx, e.state(), handshake().heartbeat(), throttle);
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Frame frame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      handle(frame);
    } catch (AmqpException e) {
      lifecycle.connectionError(e, false);
    } catch (RuntimeException e) {
      lifecycle.internalError(e);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    channels.readComplete();
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    channels.writabilityChanged(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException d && d.getCause() instanceof AmqpException e) {
      lifecycle.connectionError(e, true);
    } else if (cause instanceof javax.net.ssl.SSLException || cause.getCause() instanceof javax.net.ssl.SSLException) {
      // a failed TLS handshake (no or a bad client certificate, no common version or cipher, plain AMQP)
      Throwable t = cause instanceof javax.net.ssl.SSLException ? cause : cause.getCause();
      log.warn("connection {}: TLS handshake failed: {}", name, t.getMessage());
      ctx.close();
    } else if (cause instanceof IOException) {
      log.debug("connection {}: {}", name, cause.toString());
      ctx.close();
    } else {
      lifecycle.internalError(cause);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    lifecycle.inactive();
    ctx.fireChannelInactive();
  }

  // ---------------------------------------------------------------- frames

  private void handle(Frame frame) {
    switch (lifecycle.state()) {
      case HANDSHAKE -> {
        if (handshake().handle(frame)) {
          lifecycle.opened();
          broker.connections().add(info);
          VirtualHost opened = handshake().vhost();
          if (opened != null) {
            opened.stats().attach(info); // its byte counts join the vhost's totals
          }
          broker.stats().connectionOpened();
          registered = true;
          credential.armExpiry();
          PublisherThrottle t = new PublisherThrottle(this, ctx());
          throttle = t;
          t.start(broker.alarms());
          handshake().sendOpenOk();
          log.info("accepted AMQP connection {} (user '{}', vhost '{}')", name, info.userName(), info.vhostName());
        }
      }
      case OPEN -> handleOpen(frame);
      case CLOSING, CLOSED -> lifecycle.handleClosing(frame);
    }
  }

  private void handleOpen(Frame frame) {
    int n = frame.channel();
    if (n == 0) {
      handleChannelZero(frame);
      return;
    }
    boolean content = frame instanceof HeaderFrame;
    channels.handle(frame, handshake().channelMax());
    PublisherThrottle t = throttle;
    if (content && t != null) {
      t.publishReceived(); // rabbit_reader: publish_received, then control_throttle
    }
  }

  private void handleChannelZero(Frame frame) {
    switch (frame) {
      case HeartbeatFrame h -> {}
      case MethodFrame m -> {
        Method method = m.method();
        switch (method) {
          case ConnectionClose c -> lifecycle.clientClosed(c);
          case ConnectionUpdateSecret u -> credential.updateSecret(u);
          default ->
              throw AmqpException.connectionError(
                  ReplyCode.CHANNEL_ERROR, "unexpected method in connection state running")
                  .withMethod(method.classId(), method.methodId());
        }
      }
      default -> {
        ReferenceCountUtil.release(frame);
        throw AmqpException.connectionError(ReplyCode.UNEXPECTED_FRAME, "content frame on channel 0");
      }
    }
  }

  /** The connection's credential: off-loop logins, update-secret, the expiry timer. */
  ConnectionCredential credential() {
    return credential;
  }

  // ---------------------------------------------------------------- close

  /**
   * Releases the channels (requeueing their unacked messages), removes the connection's exclusive
   * queues and unregisters it: before close-ok goes out, so a client that reconnects at once finds
   * them gone. Idempotent. Called by the {@link ConnectionLifecycle}.
   */
  void cleanup() {
    credential.cancel();
    channels.releaseAll(name);
    if (throttle != null) {
      throttle.stop(broker.alarms());
    }
    if (registered) {
      registered = false;
      VirtualHost vh = handshake == null ? null : handshake.vhost();
      if (vh != null) {
        vh.connectionClosed(this);
        vh.stats().retire(info);
      }
      broker.connections().remove(info);
      broker.stats().connectionClosed();
      log.info("closed AMQP connection {} (user '{}', vhost '{}')", name, info.userName(), info.vhostName());
    }
  }

  // ---------------------------------------------------------------- FrameSink

  @Override
  public ByteBufAllocator alloc() {
    return ctx().alloc();
  }

  @Override
  public void write(ByteBuf frames) {
    ctx().write(frames, ctx().voidPromise());
  }

  @Override
  public void writeMethod(int channel, Method method) {
    ByteBuf out = ctx().alloc().buffer(64);
    Frames.writeMethod(out, channel, method);
    write(out);
  }

  @Override
  public void flush() {
    ctx().flush();
  }

  @Override
  public int frameMax() {
    return handshake().frameMax();
  }

  @Override
  public EventExecutor executor() {
    return ctx().executor();
  }

  @Override
  public boolean isWritable() {
    ChannelHandlerContext c = ctx;
    return c != null && c.channel().isWritable();
  }

  @Override
  public void markDirty(AmqpChannel channel) {
    channels.markDirty(channel);
  }

  @Override
  public void fail(Throwable cause) {
    if (cause instanceof AmqpException e) {
      lifecycle.connectionError(e, false);
    } else {
      lifecycle.internalError(cause);
    }
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.flush();
    }
  }

  // ---------------------------------------------------------------- for ConnectionSession

  /** The handshake, from channelActive on. */
  Handshake handshake() {
    Handshake h = handshake;
    if (h == null) {
      throw new IllegalStateException("not active");
    }
    return h;
  }

  /** The identity exclusive queues and consumers are owned by: the connection. */
  Object owner() {
    return this;
  }

  /** A publish went to a queue that is behind: the throttle stops reading until it caught up. */
  void publishedToBehindQueue(io.warrenmq.broker.queue.Queue queue) {
    PublisherThrottle t = throttle;
    if (t != null) {
      t.flow(queue);
    }
  }

  void channelClosed(AmqpChannel channel) {
    channels.remove(channel);
  }

  // ---------------------------------------------------------------- ConnectionView

  /** RabbitMQ-style name: "127.0.0.1:50412 -> 127.0.0.1:5672". */
  public String name() {
    return name;
  }

  public ConnectionView view() {
    return info;
  }

  /** The handshake, or null before channelActive; for the view, from any thread. */
  @Nullable Handshake handshakeIfStarted() {
    return handshake;
  }

  /** "blocked" or "blocking" under a resource alarm, else null; for the view, from any thread. */
  @Nullable String throttleState() {
    PublisherThrottle t = throttle;
    return t == null ? null : t.stateOrNull();
  }

  /** The lifecycle's state; for the view, from any thread (possibly stale). */
  ConnectionLifecycle.State lifecycleState() {
    return lifecycle.state();
  }

  /** The open channels' views; from any thread. */
  java.util.List<io.warrenmq.broker.view.ChannelView> channelViews() {
    return channels.views();
  }

  /** The broker closes the connection (management, ctl, shutdown); from any thread. */
  void closeFromBroker(ReplyCode code, String text) {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    c.executor().execute(() -> lifecycle.closeRequested(code, text));
  }
}
