package io.warrenmq.server.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts a connection's traffic at the head of its pipeline, for the recv_oct, recv_cnt,
 * send_oct, send_cnt and send_pend items of rabbitmqctl list_connections (RabbitMQ reads the
 * socket's inet statistics; here reads and writes as Netty sees them: a read is one socket read, a
 * write one buffer written, bytes are bytes). Passes everything on unchanged.
 *
 * <p>Threading: the counters are written by the connection's event loop only, with opaque stores
 * (no fence on the I/O path), and read from any thread: a reader may see a slightly old value,
 * never a torn one. Buffers: borrowed, only their sizes are read.
 */
final class TrafficCountHandler extends ChannelDuplexHandler {
  private static final VarHandle RECV_OCT;
  private static final VarHandle RECV_CNT;
  private static final VarHandle SEND_OCT;
  private static final VarHandle SEND_CNT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      RECV_OCT = l.findVarHandle(TrafficCountHandler.class, "recvOct", long.class);
      RECV_CNT = l.findVarHandle(TrafficCountHandler.class, "recvCnt", long.class);
      SEND_OCT = l.findVarHandle(TrafficCountHandler.class, "sendOct", long.class);
      SEND_CNT = l.findVarHandle(TrafficCountHandler.class, "sendCnt", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private long recvOct;
  private long recvCnt;
  private long sendOct;
  private long sendCnt;
  private volatile io.netty.channel.@org.jspecify.annotations.Nullable Channel channel;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b) {
      RECV_OCT.setOpaque(this, recvOct + b.readableBytes());
      RECV_CNT.setOpaque(this, recvCnt + 1);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    int n = msg instanceof ByteBuf b ? b.readableBytes() : msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
    SEND_OCT.setOpaque(this, sendOct + n);
    SEND_CNT.setOpaque(this, sendCnt + 1);
    ctx.write(msg, promise);
  }

  long recvOct() {
    return (long) RECV_OCT.getOpaque(this);
  }

  long recvCnt() {
    return (long) RECV_CNT.getOpaque(this);
  }

  long sendOct() {
    return (long) SEND_OCT.getOpaque(this);
  }

  long sendCnt() {
    return (long) SEND_CNT.getOpaque(this);
  }

  /** Bytes written but not yet flushed to the socket. */
  long sendPend() {
    io.netty.channel.Channel c = channel;
    ChannelOutboundBuffer b = c == null ? null : c.unsafe().outboundBuffer();
    return b == null ? 0 : b.totalPendingWriteBytes();
  }
}
