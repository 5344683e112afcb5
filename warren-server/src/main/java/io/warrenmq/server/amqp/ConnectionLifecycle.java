package io.warrenmq.server.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleState;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.frame.Frame;
import io.warrenmq.amqp.frame.Frames;
import io.warrenmq.amqp.frame.MethodFrame;
import io.warrenmq.amqp.method.ConnectionClose;
import io.warrenmq.amqp.method.ConnectionCloseOk;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one AMQP connection and how it ends: its state (handshake, open, closing, closed),
 * the timers that bound the handshake and the end, and the error model. A hard error (or a soft
 * one on channel 0) sends connection.close and drops everything but close-ok; a bug closes this
 * connection with 541 and is logged, never the broker; a close from the client is answered with
 * close-ok. Before anything goes out, the connection releases its channels and exclusive queues
 * ({@link AmqpConnectionHandler#cleanup()}).
 *
 * <p>As RabbitMQ's reader (rabbit_reader: the {@code closed} state, {@code close_connection},
 * {@code handle_frame} when stopping), the broker never closes the socket under a client that may
 * still be sending: after close-ok it ignores every frame and leaves the socket to the client,
 * which closes it (the broker closes its side on the FIN); a close timer bounds the wait. Closing
 * at once would make the kernel answer the client's frames still in flight with a reset, and the
 * client would see ECONNRESET or EPIPE instead of a clean close. The broker closes the socket
 * itself only when the client answers its connection.close with close-ok, as RabbitMQ's
 * {@code terminate_connection}.
 *
 * <p>Threading: confined to the connection's event loop, as the {@link AmqpConnectionHandler}
 * that owns it; no locks. Its timers run on that event loop too. Frames given to
 * {@link #handleClosing} are taken over (released here).
 */
final class ConnectionLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLifecycle.class);
  /**
   * RabbitMQ's upper bound of the close timer, seconds (rabbit_reader ?CLOSING_TIMEOUT); below it
   * the negotiated heartbeat interval is the bound.
   */
  static final int CLOSING_TIMEOUT_S = 30;
  /**
   * The grace period after a close that the client cannot answer (broken framing, a bug), or one
   * during the handshake, before tune-ok: RabbitMQ's ?SILENT_CLOSE_DELAY.
   */
  private static final long SILENT_CLOSE_DELAY_MS = 3000;

  enum State {
    HANDSHAKE,
    OPEN,
    /** We sent connection.close: waiting for close-ok. */
    CLOSING,
    /** We answered the client's connection.close with close-ok: waiting for its FIN. */
    CLOSED
  }

  private final AmqpConnectionHandler connection;
  private State state = State.HANDSHAKE;
  private @Nullable ScheduledFuture<?> timer;

  ConnectionLifecycle(AmqpConnectionHandler connection) {
    this.connection = connection;
  }

  State state() {
    return state;
  }

  /**
   * The heartbeat timer found the connection idle: a heartbeat goes out after a quiet half
   * interval; two intervals without a frame from the client close it, unless it is not being read
   * (an alarm's block or a queue's flow pause: its heartbeats are unread, as RabbitMQ pauses the
   * monitor). Nothing goes out once the connection is ending; the close timer bounds that wait.
   */
  void idle(ChannelHandlerContext ctx, IdleState state, int heartbeat, @Nullable PublisherThrottle throttle) {
    if (ending()) {
      return;
    }
    if (state == IdleState.WRITER_IDLE) {
      ByteBuf hb = ctx.alloc().buffer(8);
      Frames.writeHeartbeat(hb);
      ctx.writeAndFlush(hb, ctx.voidPromise());
    } else if (state == IdleState.READER_IDLE) {
      if (throttle != null && throttle.ignoreReaderIdle(2000L * heartbeat + 1000)) {
        return;
      }
      log.warn("closing connection {}: missed heartbeats from client, timeout {} s", connection.name(), heartbeat);
      ctx.close();
    }
  }

  /** Closing or closed: connection.close or close-ok went out. */
  boolean ending() {
    return state == State.CLOSING || state == State.CLOSED;
  }

  /** The socket is up: the handshake must be over within {@code timeoutMs}. */
  void started(ChannelHandlerContext ctx, long timeoutMs) {
    timer = ctx.executor().schedule(() -> handshakeTimedOut(timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
  }

  private void handshakeTimedOut(long timeoutMs) {
    if (state == State.HANDSHAKE) {
      log.warn("closing connection {}: handshake not completed within {} ms", connection.name(), timeoutMs);
      connection.context().close();
    }
  }

  /** connection.open-ok went out. */
  void opened() {
    state = State.OPEN;
    cancelTimer();
  }

  /** The socket closed, for whatever reason. */
  void inactive() {
    cancelTimer();
    connection.cleanup();
    state = State.CLOSED;
  }

  /**
   * The client sent connection.close while open: release everything and answer close-ok; the
   * socket stays open for the client to close, at most for the close timer.
   */
  void clientClosed(ConnectionClose c) {
    log.debug("connection {}: client closed ({} {})", connection.name(), c.replyCode(), c.replyText());
    connection.cleanup();
    state = State.CLOSED;
    writeCloseOk();
    startCloseTimer(closeTimeoutMs());
  }

  /**
   * The frames that arrive once the connection is closing (we sent connection.close) or closed
   * (we sent close-ok), as RabbitMQ's handle_frame when stopping: close-ok ends the connection; a
   * connection.close (crossing ours, or repeated) is answered with close-ok and the wait goes on;
   * every other frame is ignored.
   */
  void handleClosing(Frame frame) {
    if (frame instanceof MethodFrame m && frame.channel() == 0) {
      if (m.method() instanceof ConnectionCloseOk) {
        connection.context().close();
      } else if (m.method() instanceof ConnectionClose) {
        writeCloseOk();
      }
    } else {
      ReferenceCountUtil.release(frame);
    }
  }

  private void writeCloseOk() {
    ChannelHandlerContext c = connection.context();
    ByteBuf out = c.alloc().buffer(16);
    Frames.writeMethod(out, 0, new ConnectionCloseOk());
    c.writeAndFlush(out, c.voidPromise());
  }

  /**
   * RabbitMQ's close timer (rabbit_reader, close_connection): the negotiated heartbeat interval if
   * it is set and below 30 s, else 30 s. Before tune-ok we keep {@link #SILENT_CLOSE_DELAY_MS}:
   * RabbitMQ waits the handshake timeout there, but a peer that is not tuned yet gets no more than
   * the grace period of a refused login.
   */
  private long closeTimeoutMs() {
    Handshake h = connection.handshake();
    if (!h.tuned()) {
      return SILENT_CLOSE_DELAY_MS;
    }
    int heartbeat = h.heartbeat();
    return (heartbeat > 0 && heartbeat < CLOSING_TIMEOUT_S ? heartbeat : CLOSING_TIMEOUT_S) * 1000L;
  }

  private void startCloseTimer(long ms) {
    cancelTimer();
    ChannelHandlerContext c = connection.context();
    timer = c.executor().schedule(() -> {
      if (c.channel().isActive()) {
        log.debug("connection {}: closing the socket, the client did not within {} ms", connection.name(), ms);
        c.close();
      }
    }, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Closes the connection with connection.close carrying the error; the socket closes when the
   * client answers close-ok, or at once if the input can no longer be read (a framing error).
   */
  void connectionError(AmqpException e, boolean inputBroken) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    if (state == State.HANDSHAKE && !connection.handshake().answersWithClose(e)) {
      log.warn("closing connection {} during the handshake: {}", connection.name(), e.replyText());
      state = State.CLOSED;
      connection.context().close();
      return;
    }
    log.warn("closing connection {}: {}", connection.name(), e.replyText());
    sendClose(e.replyCode(), e.replyText(), e.classId(), e.methodId(), inputBroken);
  }

  /** A bug: logged with its stack trace, and this connection (only) closes with 541. */
  void internalError(Throwable t) {
    log.error("connection {}: unexpected error", connection.name(), t);
    if (state == State.CLOSING || state == State.CLOSED) {
      connection.context().close();
      return;
    }
    sendClose(ReplyCode.INTERNAL_ERROR, "INTERNAL_ERROR - Unexpected error, please report", 0, 0, true);
  }

  /** The broker closes an open connection (management, ctl, shutdown): on the event loop. */
  void closeRequested(ReplyCode code, String text) {
    if (state == State.OPEN) {
      log.info("closing connection {}: {}", connection.name(), text);
      sendClose(code, code.name() + " - " + text, 0, 0, false);
    }
  }

  private void sendClose(ReplyCode code, String text, int classId, int methodId, boolean closeNow) {
    connection.cleanup();
    state = State.CLOSING;
    ChannelHandlerContext c = connection.context();
    ByteBuf out = c.alloc().buffer(64 + text.length());
    Frames.writeMethod(out, 0, new ConnectionClose(code.code(), text, classId, methodId));
    if (closeNow && c.channel() instanceof DuplexChannel d) {
      // the input can no longer be framed, so close-ok will not be seen: end our side once the
      // close is out, and keep draining the peer's bytes until it closes (or the timer fires).
      // Closing at once would reset the connection over unread input and could lose the close;
      // RabbitMQ waits 3 s for the same reason (rabbit_reader, fatal_frame_error).
      c.writeAndFlush(out).addListener(f -> d.shutdownOutput());
      startCloseTimer(SILENT_CLOSE_DELAY_MS);
    } else if (closeNow) {
      c.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    } else {
      c.writeAndFlush(out, c.voidPromise());
      startCloseTimer(closeTimeoutMs());
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
