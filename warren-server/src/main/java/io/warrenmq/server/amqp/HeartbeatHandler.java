package io.warrenmq.server.amqp;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * AMQP heartbeats (0-9-1 4.2.7) with one timer per connection and no per-write work: every half
 * interval it fires a writer-idle event if nothing was written since the last tick, and a
 * reader-idle event once nothing was read for two intervals. (Netty's IdleStateHandler adds a
 * listener to every write, which shows on a busy connection.)
 *
 * <p>Threading: confined to the connection's event loop.
 */
final class HeartbeatHandler extends ChannelDuplexHandler {
  private final long tickMs;
  private final long readTimeoutMs;
  private boolean wrote;
  private boolean read;
  private long silentMs;
  private @Nullable ScheduledFuture<?> timer;

  /** @param heartbeatSeconds the negotiated interval (> 0) */
  HeartbeatHandler(int heartbeatSeconds) {
    long ms = heartbeatSeconds * 1000L;
    this.tickMs = Math.max(250, ms / 2);
    this.readTimeoutMs = 2 * ms;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timer = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), tickMs, tickMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stop();
    ctx.fireChannelInactive();
  }

  private void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void tick(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      stop();
      return;
    }
    if (read) {
      silentMs = 0;
    } else {
      silentMs += tickMs;
    }
    read = false;
    if (!wrote) {
      ctx.fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
    }
    wrote = false;
    if (silentMs >= readTimeoutMs) {
      ctx.fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    read = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    wrote = true;
    ctx.write(msg, promise);
  }
}
