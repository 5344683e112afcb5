package io.warrenmq.server.amqp.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpConstants;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.message.MessageCodec;
import java.nio.charset.StandardCharsets;

/**
 * Writes basic.deliver with its content header and body frames straight from a stored record:
 * the exchange and routing key are copied as the shortstr bytes they are in the record, the
 * properties as their raw flags and list, so a delivery allocates nothing but its output buffer
 * (AMQP 0-9-1 4.2.6: method frame, header frame, body frames of at most frame-max - 8 bytes).
 *
 * <p>Threading: one per channel, confined to the connection's event loop.
 */
final class DeliveryEncoder {
  private final int[] layout = new int[8];

  /** The consumer tag as a shortstr (length byte and UTF-8), computed once per consumer. */
  static byte[] shortStr(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[b.length + 1];
    out[0] = (byte) b.length;
    System.arraycopy(b, 0, out, 1, b.length);
    return out;
  }

  /**
   * The frames of a delivery of a message no store holds (no-ack consumer, empty queue), with
   * delivery tag 0 to be patched by {@link #patchTag}. Borrows the message's buffers. Thread-safe.
   */
  static ByteBuf unstored(ByteBufAllocator alloc, int channel, int frameMax, byte[] consumerTag, Message m) {
    ByteBuf props = m.storedProperties();
    ByteBuf body = m.body();
    int propsLen = props.readableBytes();
    int bodySize = body.readableBytes();
    int maxPayload = frameMax - AmqpConstants.FRAME_OVERHEAD;
    int bodyFrames = bodySize == 0 ? 0 : (bodySize + maxPayload - 1) / maxPayload;
    ByteBuf out = alloc.directBuffer(64 + consumerTag.length + 3 * (m.exchange().length() + m.routingKey().length())
        + propsLen + bodyFrames * 8 + bodySize);
    int sizeIndex = out.writerIndex() + 3;
    out.writeByte(AmqpConstants.FRAME_METHOD).writeShort(channel).writeInt(0);
    out.writeShort(60).writeShort(60);
    out.writeBytes(consumerTag);
    out.writeLong(0);
    out.writeByte(0);
    FieldCodec.writeShortStr(out, m.exchange());
    FieldCodec.writeShortStr(out, m.routingKey());
    out.setInt(sizeIndex, out.writerIndex() - sizeIndex - 4);
    out.writeByte(AmqpConstants.FRAME_END);
    out.writeByte(AmqpConstants.FRAME_HEADER).writeShort(channel).writeInt(12 + propsLen);
    out.writeShort(60).writeShort(0).writeLong(bodySize);
    out.writeBytes(props, props.readerIndex(), propsLen);
    out.writeByte(AmqpConstants.FRAME_END);
    for (int off = 0; off < bodySize; off += maxPayload) {
      int n = Math.min(maxPayload, bodySize - off);
      out.writeByte(AmqpConstants.FRAME_BODY).writeShort(channel).writeInt(n);
      out.writeBytes(body, body.readerIndex() + off, n);
      out.writeByte(AmqpConstants.FRAME_END);
    }
    return out;
  }

  /** Sets the delivery tag of frames built by {@link #unstored}. */
  static void patchTag(ByteBuf frames, byte[] consumerTag, long deliveryTag) {
    frames.setLong(frames.readerIndex() + 7 + 4 + consumerTag.length, deliveryTag);
  }

  /** A new buffer holding the frames; borrows {@code record}. */
  ByteBuf deliver(ByteBufAllocator alloc, int channel, int frameMax, byte[] consumerTag, long deliveryTag,
      boolean redelivered, ByteBuf record) {
    int[] l = MessageCodec.layout(record, layout);
    int bodySize = l[7];
    int maxPayload = frameMax - AmqpConstants.FRAME_OVERHEAD;
    int bodyFrames = bodySize == 0 ? 0 : (bodySize + maxPayload - 1) / maxPayload;
    int methodSize = 4 + consumerTag.length + 8 + 1 + l[1] + l[3];
    int size = 8 + methodSize + 8 + 12 + l[5] + bodyFrames * 8 + bodySize;
    ByteBuf out = alloc.directBuffer(size);
    // basic.deliver (class 60, method 60)
    out.writeByte(AmqpConstants.FRAME_METHOD).writeShort(channel).writeInt(methodSize);
    out.writeShort(60).writeShort(60);
    out.writeBytes(consumerTag);
    out.writeLong(deliveryTag);
    out.writeByte(redelivered ? 1 : 0);
    out.writeBytes(record, l[0], l[1]);
    out.writeBytes(record, l[2], l[3]);
    out.writeByte(AmqpConstants.FRAME_END);
    // content header: class 60, weight 0, body size, raw property flags and list
    out.writeByte(AmqpConstants.FRAME_HEADER).writeShort(channel).writeInt(12 + l[5]);
    out.writeShort(60).writeShort(0).writeLong(bodySize);
    out.writeBytes(record, l[4], l[5]);
    out.writeByte(AmqpConstants.FRAME_END);
    for (int off = 0; off < bodySize; off += maxPayload) {
      int n = Math.min(maxPayload, bodySize - off);
      out.writeByte(AmqpConstants.FRAME_BODY).writeShort(channel).writeInt(n);
      out.writeBytes(record, l[6] + off, n);
      out.writeByte(AmqpConstants.FRAME_END);
    }
    return out;
  }
}
