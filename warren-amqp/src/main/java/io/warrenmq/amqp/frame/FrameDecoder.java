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
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.warrenmq.amqp.AmqpConstants;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.method.Method;
import io.warrenmq.amqp.method.MethodCodec;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Cuts the byte stream into {@link Frame}s (spec 4.2.3: type octet, channel short, payload size
 * long, payload, frame-end octet 0xCE) and decodes method frames with {@link MethodCodec} on the
 * spot.
 *
 * <p><b>Limits and errors.</b> Each is raised as {@code AmqpException.connectionError}, which
 * {@link ByteToMessageDecoder} wraps in a {@code DecoderException}; the server unwraps it and
 * closes the connection with the code it carries. Texts are RabbitMQ's ({@code "type 1, all octets
 * = <<>>: {frame_too_large,5000,4088}"}, see {@link PayloadSnippet}):
 *
 * <ul>
 *   <li>a payload size above frame-max: {@code FRAME_ERROR ... {frame_too_large,size,max}}, raised
 *       from the 7 header bytes alone, before any payload arrives. Like RabbitMQ, the payload alone
 *       may reach frame-max (8 bytes more than the spec allows), as many clients get this wrong;
 *   <li>a frame-end octet other than 0xCE: {@code FRAME_ERROR ... {invalid_frame_end_marker,N}};
 *   <li>an unknown frame type, a heartbeat with a payload, a method frame under 4 bytes, a header
 *       frame under 14 bytes: {@code FRAME_ERROR ...: unknown_frame};
 *   <li>a header announcing a body size above 2^63-1: {@code FRAME_ERROR "content body size ...
 *       exceeds maximum allowed size 536870912"};
 *   <li>a heartbeat on a channel other than 0, a content frame on channel 0: {@code
 *       UNEXPECTED_FRAME ...} (RabbitMQ's text: {@code "type 8, all octets = <<>>"});
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
    // RabbitMQ (rabbit_reader, handle_input) lets the payload alone reach frame-max, "since quite a
    // few clients get it wrong - off-by 1 or 8", and judges this from the 7 header bytes
    if (size > maxFrameSize) {
      throw frameError(type, Unpooled.EMPTY_BUFFER, "{frame_too_large,%d,%d}", size, maxFrameSize - FRAME_OVERHEAD);
    }
    int payloadSize = (int) size;
    if (in.readableBytes() < FRAME_OVERHEAD + payloadSize) {
      return null;
    }
    ByteBuf payload = in.slice(start + FRAME_HEADER_SIZE, payloadSize);
    int end = in.getUnsignedByte(start + FRAME_HEADER_SIZE + payloadSize);
    if (end != FRAME_END) {
      throw frameError(type, payload, "{invalid_frame_end_marker,%d}", end);
    }
    checkFrame(type, channel, payload);
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

  /**
   * What RabbitMQ's rabbit_command_assembler:analyze_frame cannot analyse is an "unknown_frame": an
   * unknown type, a method frame without class and method ids, a header frame too short for its
   * fixed part and property flags, a heartbeat with a payload. A heartbeat on another channel than
   * 0, and a content frame on channel 0, are unexpected frames.
   */
  private static void checkFrame(int type, int channel, ByteBuf payload) {
    int size = payload.readableBytes();
    boolean analysable =
        switch (type) {
          case FRAME_METHOD -> size >= 4;
          case FRAME_HEADER -> size >= HEADER_MIN_SIZE;
          case FRAME_BODY -> true;
          case FRAME_HEARTBEAT -> size == 0;
          default -> false;
        };
    if (!analysable) {
      throw frameError(type, payload, "unknown_frame");
    }
    boolean content = type == FRAME_HEADER || type == FRAME_BODY;
    if ((type == FRAME_HEARTBEAT && channel != 0) || (content && channel == 0)) {
      throw AmqpException.connectionError(ReplyCode.UNEXPECTED_FRAME, PayloadSnippet.describe(type, payload));
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
      // RabbitMQ's check of the body size against its hard limit of 512 MiB
      // (rabbit_command_assembler); the size is unsigned on the wire
      throw AmqpException.connectionError(ReplyCode.FRAME_ERROR,
          "content body size %s exceeds maximum allowed size %d", Long.toUnsignedString(bodySize),
          AmqpConstants.MAX_MESSAGE_SIZE);
    }
    ByteBuf properties = in.readRetainedSlice(payloadSize - HEADER_FIXED_SIZE);
    return new HeaderFrame(channel, classId, bodySize, properties);
  }

  /** A FRAME_ERROR with RabbitMQ's text: "type T, all octets = <<...>>: reason". */
  private static AmqpException frameError(int type, ByteBuf payload, String reason, Object... args) {
    return AmqpException.connectionError(
        ReplyCode.FRAME_ERROR, "%s: %s", PayloadSnippet.describe(type, payload), String.format(Locale.ROOT, reason, args));
  }
}
