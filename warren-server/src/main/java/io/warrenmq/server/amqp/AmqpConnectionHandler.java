package io.warrenmq.server.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.frame.BodyFrame;
import io.warrenmq.amqp.frame.Frame;
import io.warrenmq.amqp.frame.Frames;
import io.warrenmq.amqp.frame.HeaderFrame;
import io.warrenmq.amqp.frame.HeartbeatFrame;
import io.warrenmq.amqp.frame.MethodFrame;
import io.warrenmq.amqp.frame.ProtocolHeaderDecoder;
import io.warrenmq.amqp.method.ChannelOpen;
import io.warrenmq.amqp.method.ChannelOpenOk;
import io.warrenmq.amqp.method.ConnectionClose;
import io.warrenmq.amqp.method.ConnectionCloseOk;
import io.warrenmq.amqp.method.ConnectionUpdateSecret;
import io.warrenmq.amqp.method.ConnectionUpdateSecretOk;
import io.warrenmq.amqp.method.Method;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.server.amqp.channel.AmqpChannel;
import io.warrenmq.server.amqp.channel.FrameSink;
import io.warrenmq.server.amqp.channel.Session;
import io.warrenmq.server.config.BrokerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP connection: the handshake (delegated to {@link Handshake}), the channel table, the
 * connection methods on channel 0, and the error model: a hard error (or a soft one on channel 0)
 * sends connection.close and drops everything but close-ok; a bug closes this connection with 541
 * and is logged, never the broker.
 *
 * <p>Threading: confined to the connection's event loop; {@link #close(ReplyCode, String)} may be
 * called from any thread and hops onto it.
 */
public final class AmqpConnectionHandler extends ChannelInboundHandlerAdapter
    implements FrameSink, Session, ConnectionView {
  private static final Logger log = LoggerFactory.getLogger(AmqpConnectionHandler.class);
  /** How long we wait for close-ok after sending connection.close. */
  private static final long CLOSE_TIMEOUT_MS = 3000;

  private enum State {
    HANDSHAKE,
    OPEN,
    CLOSING,
    CLOSED
  }

  private final BrokerConfig config;
  private final Broker broker;
  private final IntObjectHashMap<AmqpChannel> channels = new IntObjectHashMap<>(4);
  private final List<AmqpChannel> dirty = new ArrayList<>(4);
  private final long connectedAt = System.currentTimeMillis();
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable Handshake handshake;
  private State state = State.HANDSHAKE;
  private String name = "?";
  private @Nullable ScheduledFuture<?> timer;
  private boolean registered;

  public AmqpConnectionHandler(BrokerConfig config, Broker broker) {
    this.config = config;
    this.broker = broker;
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
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
    name = remote.getAddress().getHostAddress() + ":" + remote.getPort() + " -> "
        + local.getAddress().getHostAddress() + ":" + local.getPort();
    handshake = new Handshake(this, config, broker, remote.getAddress().isLoopbackAddress());
    timer = ctx.executor().schedule(this::handshakeTimedOut, config.handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  private void handshakeTimedOut() {
    if (state == State.HANDSHAKE) {
      log.warn("closing connection {}: handshake not completed within {} ms", name, config.handshakeTimeoutMs());
      ctx().close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ProtocolHeaderDecoder.ACCEPTED) {
      handshake().start();
      ctx.flush();
    } else if (evt instanceof IdleStateEvent e) {
      switch (e.state()) {
        case WRITER_IDLE -> {
          ByteBuf hb = ctx.alloc().buffer(8);
          Frames.writeHeartbeat(hb);
          ctx.writeAndFlush(hb, ctx.voidPromise());
        }
        case READER_IDLE -> {
          log.warn("closing connection {}: missed heartbeats from client, timeout {} s", name,
              handshake().heartbeat());
          ctx.close();
        }
        default -> {}
      }
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
      connectionError(e, false);
    } catch (RuntimeException e) {
      internalError(e);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!dirty.isEmpty()) {
      for (AmqpChannel ch : dirty) {
        ch.readComplete();
      }
      dirty.clear();
    }
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean writable = ctx.channel().isWritable();
    for (AmqpChannel ch : List.copyOf(channels.values())) {
      ch.writabilityChanged(writable);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException d && d.getCause() instanceof AmqpException e) {
      connectionError(e, true);
    } else if (cause instanceof IOException) {
      log.debug("connection {}: {}", name, cause.toString());
      ctx.close();
    } else {
      internalError(cause);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
    cleanup();
    state = State.CLOSED;
    ctx.fireChannelInactive();
  }

  // ---------------------------------------------------------------- frames

  private void handle(Frame frame) {
    switch (state) {
      case HANDSHAKE -> {
        if (handshake().handle(frame)) {
          state = State.OPEN;
          if (timer != null) {
            timer.cancel(false);
          }
          broker.connections().add(this);
          registered = true;
          log.info("accepted AMQP connection {} (user '{}', vhost '{}')", name, userName(), vhostName());
        }
      }
      case OPEN -> handleOpen(frame);
      case CLOSING -> handleClosing(frame);
      case CLOSED -> ReferenceCountUtil.release(frame);
    }
  }

  private void handleOpen(Frame frame) {
    int n = frame.channel();
    if (n == 0) {
      handleChannelZero(frame);
      return;
    }
    AmqpChannel ch = channels.get(n);
    if (ch != null) {
      ch.handle(frame);
      return;
    }
    ReferenceCountUtil.release(frame);
    checkChannelMax();
    if (frame instanceof MethodFrame m && m.method() instanceof ChannelOpen) {
      openChannel(n);
    } else if (frame instanceof MethodFrame m) {
      // RabbitMQ's texts: the channel exists but has not seen channel.open
      throw AmqpException.connectionError(ReplyCode.CHANNEL_ERROR, "expected 'channel.open'")
          .withMethod(m.method().classId(), m.method().methodId());
    } else {
      throw AmqpException.connectionError(
          ReplyCode.UNEXPECTED_FRAME, "expected method frame, got non method frame instead");
    }
  }

  /**
   * RabbitMQ (rabbit_reader, create_channel) limits the number of open channels to the negotiated
   * channel_max; the channel number itself is not checked.
   */
  private void checkChannelMax() {
    int max = handshake().channelMax();
    if (channels.size() >= max) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED,
          "number of channels opened (%d) has reached the negotiated channel_max (%d)", channels.size(), max);
    }
  }

  private void openChannel(int n) {
    channels.put(n, new AmqpChannel(n, this, this));
    writeMethod(n, new ChannelOpenOk());
  }

  private void handleChannelZero(Frame frame) {
    switch (frame) {
      case HeartbeatFrame h -> {}
      case MethodFrame m -> {
        Method method = m.method();
        switch (method) {
          case ConnectionClose c -> {
            log.debug("connection {}: client closed ({} {})", name, c.replyCode(), c.replyText());
            cleanup();
            state = State.CLOSED;
            ByteBuf out = ctx().alloc().buffer(16);
            Frames.writeMethod(out, 0, new ConnectionCloseOk());
            ctx().writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
          }
          case ConnectionUpdateSecret u -> {
            handshake().updateSecret(u);
            writeMethod(0, new ConnectionUpdateSecretOk());
          }
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

  /** After we sent connection.close: wait for close-ok, answer a crossing close, drop the rest. */
  private void handleClosing(Frame frame) {
    if (frame instanceof MethodFrame m) {
      if (m.method() instanceof ConnectionCloseOk) {
        ctx().close();
      } else if (m.method() instanceof ConnectionClose) {
        ByteBuf out = ctx().alloc().buffer(16);
        Frames.writeMethod(out, 0, new ConnectionCloseOk());
        ctx().writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
      }
    } else {
      ReferenceCountUtil.release(frame);
    }
  }

  // ---------------------------------------------------------------- errors and close

  /**
   * Closes the connection with connection.close carrying the error; the socket closes when the
   * client answers close-ok, or at once if the input can no longer be read (a framing error).
   */
  void connectionError(AmqpException e, boolean inputBroken) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    if (state == State.HANDSHAKE && !handshake().answersWithClose(e)) {
      log.warn("closing connection {} during the handshake: {}", name, e.replyText());
      state = State.CLOSED;
      ctx().close();
      return;
    }
    log.warn("closing connection {}: {}", name, e.replyText());
    sendClose(e.replyCode(), e.replyText(), e.classId(), e.methodId(), inputBroken);
  }

  private void internalError(Throwable t) {
    log.error("connection {}: unexpected error", name, t);
    if (state == State.CLOSING || state == State.CLOSED) {
      ctx().close();
      return;
    }
    sendClose(ReplyCode.INTERNAL_ERROR, "INTERNAL_ERROR - Unexpected error, please report", 0, 0, true);
  }

  private void sendClose(ReplyCode code, String text, int classId, int methodId, boolean closeNow) {
    cleanup();
    state = State.CLOSING;
    ChannelHandlerContext c = ctx();
    ByteBuf out = c.alloc().buffer(64 + text.length());
    Frames.writeMethod(out, 0, new ConnectionClose(code.code(), text, classId, methodId));
    if (closeNow && c.channel() instanceof DuplexChannel d) {
      // the input can no longer be framed, so close-ok will not be seen: end our side once the
      // close is out, and keep draining the peer's bytes until it closes (or the timer fires).
      // Closing at once would reset the connection over unread input and could lose the close;
      // RabbitMQ waits 3 s for the same reason (rabbit_reader, fatal_frame_error).
      c.writeAndFlush(out).addListener(f -> d.shutdownOutput());
    } else if (closeNow) {
      c.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
      return;
    } else {
      c.writeAndFlush(out);
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timer = c.executor().schedule(() -> {
      c.close();
      return null;
    }, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Releases the channels (requeueing their unacked messages), removes the connection's exclusive
   * queues and unregisters it: before close-ok goes out, so a client that reconnects at once finds
   * them gone. Idempotent.
   */
  private void cleanup() {
    releaseChannels();
    if (registered) {
      registered = false;
      VirtualHost vh = handshake == null ? null : handshake.vhost();
      if (vh != null) {
        vh.connectionClosed(this);
      }
      broker.connections().remove(this);
      log.info("closed AMQP connection {} (user '{}', vhost '{}')", name, userName(), vhostName());
    }
  }

  private void releaseChannels() {
    for (AmqpChannel ch : List.copyOf(channels.values())) {
      try {
        ch.connectionClosed();
      } catch (RuntimeException e) {
        log.error("connection {}: error releasing channel {}", name, ch.number(), e);
      }
    }
    channels.clear();
    dirty.clear();
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
    if (!dirty.contains(channel)) {
      dirty.add(channel);
    }
  }

  @Override
  public void fail(Throwable cause) {
    if (cause instanceof AmqpException e) {
      connectionError(e, false);
    } else {
      internalError(cause);
    }
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.flush();
    }
  }

  // ---------------------------------------------------------------- Session

  private Handshake handshake() {
    Handshake h = handshake;
    if (h == null) {
      throw new IllegalStateException("not active");
    }
    return h;
  }

  @Override
  public Broker broker() {
    return broker;
  }

  @Override
  public VirtualHost vhost() {
    VirtualHost v = handshake().vhost();
    if (v == null) {
      throw new IllegalStateException("connection not open");
    }
    return v;
  }

  @Override
  public User user() {
    User u = handshake().user();
    if (u == null) {
      throw new IllegalStateException("connection not authenticated");
    }
    return u;
  }

  @Override
  public Object owner() {
    return this;
  }

  @Override
  public boolean consumerCancelNotify() {
    return handshake().capability("consumer_cancel_notify");
  }

  @Override
  public long maxMessageSize() {
    return config.maxMessageSize();
  }

  @Override
  public int consumersPerChannel() {
    return config.consumersPerChannel();
  }

  @Override
  public void channelClosed(AmqpChannel channel) {
    channels.remove(channel.number());
    dirty.remove(channel);
  }

  // ---------------------------------------------------------------- ConnectionView

  @Override
  public String name() {
    return name;
  }

  @Override
  public String userName() {
    Handshake h = handshake;
    User u = h == null ? null : h.user();
    return u == null ? "" : u.name();
  }

  @Override
  public String vhostName() {
    Handshake h = handshake;
    VirtualHost v = h == null ? null : h.vhost();
    return v == null ? "" : v.name();
  }

  @Override
  public int channelCount() {
    return channels.size();
  }

  @Override
  public String clientName() {
    return handshake == null ? "" : handshake.clientName();
  }

  @Override
  public long connectedAt() {
    return connectedAt;
  }

  @Override
  public void close(ReplyCode code, String text) {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    c.executor().execute(() -> {
      if (state == State.OPEN) {
        log.info("closing connection {}: {}", name, text);
        sendClose(code, code.name() + " - " + text, 0, 0, false);
      }
    });
  }
}
