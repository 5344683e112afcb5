package io.warrenmq.broker.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.warrenmq.amqp.types.FieldCodec;

/**
 * The layout of a message record inside a queue's segment file (the store sees opaque bytes).
 *
 * <pre>
 *   u8       layout version (1)
 *   u64      arrival timestamp, epoch ms
 *   u64      expires-at, epoch ms (0 = never)
 *   shortstr exchange
 *   shortstr routing key
 *   u32      properties length, then the raw content-header property flags and list
 *   ...      the body: every byte up to the end of the record
 * </pre>
 *
 * The properties are kept in their wire form so a delivery writes them back without decoding.
 */
public final class MessageCodec {
  /** The layout version written in the first byte of every record. */
  public static final int VERSION = 1;

  private MessageCodec() {}

  /**
   * Builds the record payload of {@code message} as a composite whose properties and body
   * components are retained duplicates of the message's buffers (no copy). The caller owns the
   * result and releases it after the store has copied it.
   */
  public static ByteBuf encode(ByteBufAllocator alloc, Message message, long expiresAt) {
    return encode(alloc, message.exchange(), message.routingKey(), message.timestamp(), expiresAt,
        message.storedProperties(), message.body());
  }

  /** As {@link #encode(ByteBufAllocator, Message, long)} with explicit parts, all borrowed. */
  public static ByteBuf encode(
      ByteBufAllocator alloc,
      String exchange,
      String routingKey,
      long timestamp,
      long expiresAt,
      ByteBuf properties,
      ByteBuf body) {
    ByteBuf head = alloc.buffer(32 + exchange.length() + routingKey.length());
    head.writeByte(VERSION);
    head.writeLong(timestamp);
    head.writeLong(expiresAt);
    FieldCodec.writeShortStr(head, exchange);
    FieldCodec.writeShortStr(head, routingKey);
    head.writeInt(properties.readableBytes());
    CompositeByteBuf out = alloc.compositeBuffer(3);
    out.addComponent(true, head);
    if (properties.isReadable()) {
      out.addComponent(true, properties.retainedDuplicate());
    }
    if (body.isReadable()) {
      out.addComponent(true, body.retainedDuplicate());
    }
    return out;
  }
}
