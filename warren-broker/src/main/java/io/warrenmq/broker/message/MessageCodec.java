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

  /** Records up to this many bytes of properties and body are built flat rather than composite. */
  private static final int FLAT_LIMIT = 16 * 1024;

  private static void writeHead(ByteBuf out, String exchange, String routingKey, long timestamp, long expiresAt,
      int propsLen) {
    out.writeByte(VERSION);
    out.writeLong(timestamp);
    out.writeLong(expiresAt);
    FieldCodec.writeShortStr(out, exchange);
    FieldCodec.writeShortStr(out, routingKey);
    out.writeInt(propsLen);
  }

  /** Offset of the exchange shortstr from the record's start (version, timestamp, expires-at). */
  public static final int EXCHANGE_OFFSET = 1 + 8 + 8;

  private MessageCodec() {}

  /**
   * Offsets into a record (absolute indexes of {@code record}), read without allocating: for
   * writing a delivery straight from the record. Borrows the record.
   *
   * @return {exchange shortstr (length byte included), its size, routing key shortstr, its size,
   *     properties, their size, body, its size}
   */
  public static int[] layout(ByteBuf record, int[] out) {
    int ex = record.readerIndex() + EXCHANGE_OFFSET;
    int exSize = 1 + record.getUnsignedByte(ex);
    int rk = ex + exSize;
    int rkSize = 1 + record.getUnsignedByte(rk);
    int propsLen = record.getInt(rk + rkSize);
    int props = rk + rkSize + 4;
    int body = props + propsLen;
    out[0] = ex;
    out[1] = exSize;
    out[2] = rk;
    out[3] = rkSize;
    out[4] = props;
    out[5] = propsLen;
    out[6] = body;
    out[7] = record.writerIndex() - body;
    return out;
  }

  /**
   * Builds the record payload of {@code message}: flat (one copy) when small, else a composite
   * whose properties and body components are retained duplicates of the message's buffers. The caller owns the
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
    int propsLen = properties.readableBytes();
    int bodyLen = body.readableBytes();
    if (propsLen + bodyLen <= FLAT_LIMIT) {
      // small: one flat buffer (a copy is cheaper than a composite's bookkeeping)
      ByteBuf flat = alloc.directBuffer(32 + 3 * (exchange.length() + routingKey.length()) + propsLen + bodyLen);
      writeHead(flat, exchange, routingKey, timestamp, expiresAt, propsLen);
      flat.writeBytes(properties, properties.readerIndex(), propsLen);
      flat.writeBytes(body, body.readerIndex(), bodyLen);
      return flat;
    }
    ByteBuf head = alloc.buffer(32 + exchange.length() + routingKey.length());
    writeHead(head, exchange, routingKey, timestamp, expiresAt, propsLen);
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
