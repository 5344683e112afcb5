package io.warrenmq.amqp.frame;

import static io.warrenmq.amqp.AmqpConstants.CLASS_BASIC;
import static io.warrenmq.amqp.AmqpConstants.FRAME_BODY;
import static io.warrenmq.amqp.AmqpConstants.FRAME_END;
import static io.warrenmq.amqp.AmqpConstants.FRAME_HEADER;
import static io.warrenmq.amqp.AmqpConstants.FRAME_HEARTBEAT;
import static io.warrenmq.amqp.AmqpConstants.FRAME_METHOD;
import static io.warrenmq.amqp.AmqpConstants.FRAME_OVERHEAD;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.method.Method;
import io.warrenmq.amqp.method.MethodCodec;

/**
 * Writes whole frames into a caller-supplied buffer, for the server's hot path, where a delivery
 * (method, header and body frames) goes out as one write.
 *
 * <p>Every method appends at {@code out}'s writer index and borrows the buffers it is given: it
 * neither retains nor releases them and leaves their reader index alone. Frame sizes are written as
 * placeholders and patched, so nothing is measured twice. Stateless and thread-safe.
 */
public final class Frames {
  /** Class id, weight and body size at the start of a content header payload. */
  private static final int HEADER_FIXED_SIZE = 12;

  private Frames() {}

  /** Writes a method frame. */
  public static void writeMethod(ByteBuf out, int channel, Method m) {
    int sizeIndex = startFrame(out, FRAME_METHOD, channel);
    MethodCodec.encode(out, m);
    endFrame(out, sizeIndex);
  }

  /**
   * Writes a {@code basic} content header frame (weight 0) from raw flags and property list, as
   * received in a {@link HeaderFrame}. Borrows {@code rawProperties}.
   */
  public static void writeHeader(ByteBuf out, int channel, long bodySize, ByteBuf rawProperties) {
    int sizeIndex = startFrame(out, FRAME_HEADER, channel);
    out.writeShort(CLASS_BASIC).writeShort(0).writeLong(bodySize);
    out.writeBytes(rawProperties, rawProperties.readerIndex(), rawProperties.readableBytes());
    endFrame(out, sizeIndex);
  }

  /** Writes a {@code basic} content header frame (weight 0) encoding {@code p}. */
  public static void writeHeader(ByteBuf out, int channel, long bodySize, BasicProperties p) {
    int sizeIndex = startFrame(out, FRAME_HEADER, channel);
    out.writeShort(CLASS_BASIC).writeShort(0).writeLong(bodySize);
    BasicPropertiesCodec.encode(out, p);
    endFrame(out, sizeIndex);
  }

  /**
   * Writes {@code body} as body frames of at most {@code frameMax - 8} payload bytes each; an empty
   * body writes no frame (spec 4.2.6.2). Borrows {@code body}.
   *
   * @param frameMax the negotiated frame-max, counting header and frame-end octet
   */
  public static void writeBody(ByteBuf out, int channel, ByteBuf body, int frameMax) {
    int maxPayload = maxPayload(frameMax);
    int end = body.writerIndex();
    for (int i = body.readerIndex(); i < end; ) {
      int n = Math.min(maxPayload, end - i);
      out.writeByte(FRAME_BODY).writeShort(channel).writeInt(n);
      out.writeBytes(body, i, n);
      out.writeByte(FRAME_END);
      i += n;
    }
  }

  /** Writes the heartbeat frame: type 8, channel 0, no payload. */
  public static void writeHeartbeat(ByteBuf out) {
    writeHeartbeat(out, 0);
  }

  static void writeHeartbeat(ByteBuf out, int channel) {
    out.writeByte(FRAME_HEARTBEAT).writeShort(channel).writeInt(0).writeByte(FRAME_END);
  }

  /** Writes a single body frame carrying all of {@code payload}, whatever its size. */
  static void writeBodyFrame(ByteBuf out, int channel, ByteBuf payload) {
    out.writeByte(FRAME_BODY).writeShort(channel).writeInt(payload.readableBytes());
    out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    out.writeByte(FRAME_END);
  }

  /** Writes a content header frame of any class from raw properties. */
  static void writeHeader(ByteBuf out, HeaderFrame h) {
    int sizeIndex = startFrame(out, FRAME_HEADER, h.channel());
    out.writeShort(h.classId()).writeShort(0).writeLong(h.bodySize());
    ByteBuf raw = h.properties();
    out.writeBytes(raw, raw.readerIndex(), raw.readableBytes());
    endFrame(out, sizeIndex);
  }

  /**
   * Bytes taken by the header frame and body frames of one message, for sizing a buffer.
   *
   * @param propsSize size of the raw property flags and list
   * @throws ArithmeticException when the total exceeds {@code Integer.MAX_VALUE}
   */
  public static int contentFramesSize(long bodySize, int propsSize, int frameMax) {
    int maxPayload = maxPayload(frameMax);
    long bodyFrames = (bodySize + maxPayload - 1) / maxPayload;
    long header = FRAME_OVERHEAD + HEADER_FIXED_SIZE + propsSize;
    return Math.toIntExact(header + bodySize + bodyFrames * FRAME_OVERHEAD);
  }

  private static int maxPayload(int frameMax) {
    if (frameMax <= FRAME_OVERHEAD) {
      throw new IllegalArgumentException("frame-max " + frameMax + " leaves no room for payload");
    }
    return frameMax - FRAME_OVERHEAD;
  }

  private static int startFrame(ByteBuf out, int type, int channel) {
    out.writeByte(type).writeShort(channel);
    int sizeIndex = out.writerIndex();
    out.writeInt(0);
    return sizeIndex;
  }

  private static void endFrame(ByteBuf out, int sizeIndex) {
    out.setInt(sizeIndex, out.writerIndex() - sizeIndex - 4);
    out.writeByte(FRAME_END);
  }
}
