package io.warrenmq.amqp.frame;

import static io.warrenmq.amqp.AmqpConstants.FRAME_OVERHEAD;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes {@link Frame}s, one frame each: a {@link BodyFrame} is written as it is, whatever its
 * size (splitting a body by frame-max is {@link Frames#writeBody}'s job). Like every {@link
 * MessageToByteEncoder} it releases the frame once written, which releases the buffer of a {@link
 * HeaderFrame} or {@link BodyFrame}. Stateless: one {@link #INSTANCE} serves every channel.
 */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {
  public static final FrameEncoder INSTANCE = new FrameEncoder();

  private FrameEncoder() {
    super(Frame.class);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame msg, boolean preferDirect) {
    int size =
        switch (msg) {
          case BodyFrame b -> FRAME_OVERHEAD + b.payload().readableBytes();
          case HeaderFrame h -> FRAME_OVERHEAD + 12 + h.properties().readableBytes();
          case HeartbeatFrame h -> FRAME_OVERHEAD;
          case MethodFrame m -> 256;
        };
    return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
    switch (frame) {
      case MethodFrame m -> Frames.writeMethod(out, m.channel(), m.method());
      case HeaderFrame h -> Frames.writeHeader(out, h);
      case BodyFrame b -> Frames.writeBodyFrame(out, b.channel(), b.payload());
      case HeartbeatFrame h -> Frames.writeHeartbeat(out, h.channel());
    }
  }
}
