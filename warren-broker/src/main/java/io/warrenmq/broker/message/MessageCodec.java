package io.warrenmq.broker.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The layout of a message record inside a queue's segment file (the store sees opaque bytes).
 *
 * <pre>
 *   u8       layout version (1, or 2 when the record carries its {@link Routing})
 *   u64      arrival timestamp, epoch ms
 *   u64      expires-at, epoch ms (0 = never)
 *   shortstr exchange
 *   shortstr routing key
 *   (version 2 only) u32 routing length, then: u32 key count, each key as a longstr;
 *                    u32 BCC key count, each BCC key as a longstr
 *   u32      properties length, then the raw content-header property flags and list
 *   ...      the body: every byte up to the end of the record
 * </pre>
 *
 * The properties are kept in their wire form so a delivery writes them back without decoding.
 * A version 1 record routes with its routing key and the keys of its CC header; a message whose
 * routing keys say more (BCC keys, a dead letter's keys) gets version 2, so the common record
 * stays as it was.
 */
public final class MessageCodec {
  /** The layout version of a record without routing annotations. */
  public static final int VERSION = 1;
  /** The layout version of a record that carries its {@link Routing}. */
  public static final int VERSION_ROUTED = 2;

  /** Records up to this many bytes of properties and body are built flat rather than composite. */
  private static final int FLAT_LIMIT = 16 * 1024;

  /** Offset of the exchange shortstr from the record's start (version, timestamp, expires-at). */
  public static final int EXCHANGE_OFFSET = 1 + 8 + 8;

  private MessageCodec() {}

  private static void writeHead(ByteBuf out, String exchange, String routingKey, long timestamp, long expiresAt,
      @Nullable Routing routing, int propsLen) {
    out.writeByte(routing == null ? VERSION : VERSION_ROUTED);
    out.writeLong(timestamp);
    out.writeLong(expiresAt);
    FieldCodec.writeShortStr(out, exchange);
    FieldCodec.writeShortStr(out, routingKey);
    if (routing != null) {
      int lengthAt = out.writerIndex();
      out.writeInt(0);
      writeKeys(out, routing.keys());
      writeKeys(out, routing.bcc());
      out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }
    out.writeInt(propsLen);
  }

  private static void writeKeys(ByteBuf out, List<String> keys) {
    out.writeInt(keys.size());
    for (String k : keys) {
      FieldCodec.writeLongStr(out, k);
    }
  }

  private static int routingSize(@Nullable Routing routing) {
    if (routing == null) {
      return 0;
    }
    int size = 12;
    for (String k : routing.keys()) {
      size += 4 + ByteBufUtil.utf8Bytes(k);
    }
    for (String k : routing.bcc()) {
      size += 4 + ByteBufUtil.utf8Bytes(k);
    }
    return size;
  }

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
    int propsLenAt = rk + rkSize;
    if (record.getUnsignedByte(record.readerIndex()) == VERSION_ROUTED) {
      propsLenAt += 4 + record.getInt(propsLenAt);
    }
    int propsLen = record.getInt(propsLenAt);
    int props = propsLenAt + 4;
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

  /** Reads the routing block of a version 2 record ({@code in} at its length field). */
  static Routing readRouting(ByteBuf in) {
    ByteBuf block = in.readSlice(in.readInt());
    return new Routing(readKeys(block), readKeys(block));
  }

  private static List<String> readKeys(ByteBuf in) {
    int n = in.readInt();
    List<String> keys = new ArrayList<>(Math.min(n, 64));
    for (int i = 0; i < n; i++) {
      keys.add(FieldCodec.readLongStr(in).toString());
    }
    return keys;
  }

  /**
   * Builds the record payload of {@code message}: flat (one copy) when small, else a composite
   * whose properties and body components are retained duplicates of the message's buffers. The caller owns the
   * result and releases it after the store has copied it.
   */
  public static ByteBuf encode(ByteBufAllocator alloc, Message message, long expiresAt) {
    return encode(alloc, message.exchange(), message.routingKey(), message.timestamp(), expiresAt,
        message.routing(), message.storedProperties(), message.body());
  }

  /** As {@link #encode(ByteBufAllocator, Message, long)} with explicit parts, all borrowed. */
  public static ByteBuf encode(
      ByteBufAllocator alloc,
      String exchange,
      String routingKey,
      long timestamp,
      long expiresAt,
      @Nullable Routing routing,
      ByteBuf properties,
      ByteBuf body) {
    int propsLen = properties.readableBytes();
    int bodyLen = body.readableBytes();
    int headSize = 32 + 3 * (exchange.length() + routingKey.length()) + routingSize(routing);
    if (propsLen + bodyLen <= FLAT_LIMIT) {
      // small: one flat buffer (a copy is cheaper than a composite's bookkeeping)
      ByteBuf flat = alloc.directBuffer(headSize + propsLen + bodyLen);
      writeHead(flat, exchange, routingKey, timestamp, expiresAt, routing, propsLen);
      flat.writeBytes(properties, properties.readerIndex(), propsLen);
      flat.writeBytes(body, body.readerIndex(), bodyLen);
      return flat;
    }
    ByteBuf head = alloc.buffer(headSize);
    writeHead(head, exchange, routingKey, timestamp, expiresAt, routing, propsLen);
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
