package io.warrenmq.amqp.frame;

import static io.warrenmq.amqp.AmqpConstants.FRAME_BODY;
import static io.warrenmq.amqp.AmqpConstants.FRAME_END;
import static io.warrenmq.amqp.AmqpConstants.FRAME_HEADER;
import static io.warrenmq.amqp.AmqpConstants.FRAME_HEADER_SIZE;
import static io.warrenmq.amqp.AmqpConstants.FRAME_HEARTBEAT;
import static io.warrenmq.amqp.AmqpConstants.FRAME_METHOD;
import static io.warrenmq.amqp.AmqpConstants.FRAME_MIN_SIZE;
import static io.warrenmq.amqp.AmqpConstants.FRAME_OVERHEAD;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.method.Method;
import io.warrenmq.amqp.method.MethodCodec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Cuts the byte stream into {@link Frame}s (spec 4.2.3: type octet, channel short, payload size
 * long, payload, frame-end octet 0xCE) and decodes method frames with {@link MethodCodec} on the
 * spot.
 *
 * <p><b>Limits and errors.</b> Each is raised as {@code AmqpException.connectionError}, which
 * {@link ByteToMessageDecoder} wraps in a {@code DecoderException}; the server unwraps it and
 * closes the connection with the code it carries:
 *
 * <ul>
 *   <li>a payload size above frame-max minus 8 (frame-max counts the whole frame, as in RabbitMQ):
 *       {@code FRAME_ERROR "frame_too_large ..."}, raised from the 7 header bytes alone, before any
 *       payload arrives;
 *   <li>an unknown frame type, a heartbeat with a payload, an empty method frame, a header frame
 *       under 14 bytes, a negative body size, or a frame-end octet other than 0xCE: {@code
 *       FRAME_ERROR};
 *   <li>a heartbeat on a channel other than 0: {@code UNEXPECTED_FRAME} (RabbitMQ answers 505);
 *   <li>a method frame that does not decode: what {@link MethodCodec#decode} raises.
 * </ul>
 *
 * After the first error the decoder discards every further byte.
 *
 * <p><b>Ownership.</b> Header and body payloads leave as retained slices of the cumulation buffer
 * (never copies); the handler that receives a {@link HeaderFrame} or {@link BodyFrame} owns it and
 * must release it.
 *
 * <p><b>Threading.</b> One instance per connection (not {@code @Sharable}), confined to the
 * connection's event loop, including {@link #setMaxFrameSize}.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  /** Class id, weight and body size precede the property flags in a header frame payload. */
  private static final int HEADER_FIXED_SIZE = 12;

  /** The smallest header frame payload: fixed part plus one property flags word. */
  private static final int HEADER_MIN_SIZE = HEADER_FIXED_SIZE + 2;

  private int maxFrameSize;
  private boolean failed;

  /**
   * @param maxFrameSize frame-max, counting header and frame-end octet; at least 4096
   */
  public FrameDecoder(int maxFrameSize) {
    setMaxFrameSize(maxFrameSize);
  }

  /**
   * Sets frame-max, counting header and frame-end octet, as negotiated by {@code
   * connection.tune-ok} (the server maps a negotiated 0, "no limit", to its own maximum). Takes
   * effect from the next frame.
   *
   * @throws IllegalArgumentException below {@link io.warrenmq.amqp.AmqpConstants#FRAME_MIN_SIZE}
   */
  public void setMaxFrameSize(int maxFrameSize) {
    if (maxFrameSize < FRAME_MIN_SIZE) {
      throw new IllegalArgumentException(
          "frame-max " + maxFrameSize + " is below the minimum of " + FRAME_MIN_SIZE);
    }
    this.maxFrameSize = maxFrameSize;
  }

  public int maxFrameSize() {
    return maxFrameSize;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      Frame frame = decodeFrame(in);
      if (frame != null) {
        out.add(frame);
      }
    } catch (AmqpException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  private @Nullable Frame decodeFrame(ByteBuf in) {
    if (in.readableBytes() < FRAME_HEADER_SIZE) {
      return null;
    }
    int start = in.readerIndex();
    int type = in.getUnsignedByte(start);
    int channel = in.getUnsignedShort(start + 1);
    long size = in.getUnsignedInt(start + 3);
    checkHeader(type, channel, size);
    int payloadSize = (int) size;
    if (in.readableBytes() < FRAME_OVERHEAD + payloadSize) {
      return null;
    }
    int end = in.getUnsignedByte(start + FRAME_HEADER_SIZE + payloadSize);
    if (end != FRAME_END) {
      throw frameError(
          "frame end octet 0x%02X is not 0xCE (type %d, channel %d, payload %d bytes)",
          end, type, channel, payloadSize);
    }
    in.skipBytes(FRAME_HEADER_SIZE);
    Frame frame =
        switch (type) {
          case FRAME_METHOD -> new MethodFrame(channel, decodeMethod(in, payloadSize));
          case FRAME_HEADER -> readHeader(in, channel, payloadSize);
          case FRAME_BODY -> new BodyFrame(channel, in.readRetainedSlice(payloadSize));
          default -> HeartbeatFrame.INSTANCE;
        };
    in.skipBytes(1); // the frame-end octet
    return frame;
  }

  /** Everything that can be judged from the 7 header bytes, before the payload arrives. */
  private void checkHeader(int type, int channel, long size) {
    if (size > maxFrameSize - FRAME_OVERHEAD) {
      throw frameError(
          "frame_too_large: type %d on channel %d has a payload of %d bytes, frame_max %d allows"
              + " %d",
          type, channel, size, maxFrameSize, maxFrameSize - FRAME_OVERHEAD);
    }
    switch (type) {
      case FRAME_METHOD -> {
        if (size == 0) {
          throw frameError("empty method frame on channel %d", channel);
        }
      }
      case FRAME_HEADER -> {
        if (size < HEADER_MIN_SIZE) {
          throw frameError(
              "content header frame of %d bytes on channel %d is shorter than %d",
              size, channel, HEADER_MIN_SIZE);
        }
      }
      case FRAME_BODY -> {}
      case FRAME_HEARTBEAT -> {
        if (size != 0) {
          throw frameError("heartbeat frame with a payload of %d bytes", size);
        }
        if (channel != 0) {
          throw AmqpException.connectionError(
              ReplyCode.UNEXPECTED_FRAME, "heartbeat frame on channel %d", channel);
        }
      }
      default -> throw frameError("unknown frame type %d on channel %d", type, channel);
    }
  }

  private static Method decodeMethod(ByteBuf in, int payloadSize) {
    ByteBuf payload = in.slice(in.readerIndex(), payloadSize);
    Method method = MethodCodec.decode(payload);
    in.skipBytes(payloadSize);
    return method;
  }

  private static HeaderFrame readHeader(ByteBuf in, int channel, int payloadSize) {
    int classId = in.readUnsignedShort();
    in.skipBytes(2); // weight, unused (spec 4.2.6.1)
    long bodySize = in.readLong();
    if (bodySize < 0) {
      throw frameError(
          "content header body size %s is out of range", Long.toUnsignedString(bodySize));
    }
    ByteBuf properties = in.readRetainedSlice(payloadSize - HEADER_FIXED_SIZE);
    return new HeaderFrame(channel, classId, bodySize, properties);
  }

  private static AmqpException frameError(String fmt, Object... args) {
    return AmqpException.connectionError(ReplyCode.FRAME_ERROR, fmt, args);
  }
}
