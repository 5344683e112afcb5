package io.warrenmq.broker.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.types.FieldTable;
import org.jspecify.annotations.Nullable;

/** Cheap reads and rewrites of message records in the {@link MessageCodec} layout. */
public final class StoredRecords {
  /** Offset of the expires-at field: after the version byte and the timestamp. */
  public static final int EXPIRES_AT_OFFSET = 1 + 8;

  private StoredRecords() {}

  /** The record's expires-at (epoch ms, 0 = never), read in place (borrows the buffer). */
  public static long expiresAt(ByteBuf record) {
    return record.getLong(record.readerIndex() + EXPIRES_AT_OFFSET);
  }

  /** The value of header {@code name} as a string, or null; decodes the properties. */
  public static @Nullable String header(ByteBuf record, String name) {
    Envelope e = Envelope.parse(record);
    if (!e.properties().isReadable()) {
      return null;
    }
    FieldTable h = e.decodeProperties().headers();
    Object v = h == null ? null : h.get(name);
    return v == null ? null : v.toString();
  }

  /**
   * A new record equal to {@code record} with the header {@code x-delivery-count} set (quorum-queue
   * style redelivery count); the caller owns the result and still owns {@code record}.
   */
  public static ByteBuf withDeliveryCount(ByteBuf record, long count, ByteBufAllocator alloc) {
    Envelope e = Envelope.parse(record);
    BasicProperties p = e.properties().isReadable() ? e.decodeProperties() : BasicProperties.EMPTY;
    FieldTable h = p.headers() == null ? FieldTable.EMPTY : p.headers();
    ByteBuf props = alloc.buffer(e.properties().readableBytes() + 32);
    BasicPropertiesCodec.encode(props, p.withHeaders(h.with("x-delivery-count", count)));
    ByteBuf out = MessageCodec.encode(
        alloc, e.exchange(), e.routingKey(), e.timestamp(), e.expiresAt(), e.routing(), props, e.body());
    ByteBuf flat = alloc.buffer(out.readableBytes());
    flat.writeBytes(out);
    out.release();
    props.release();
    return flat;
  }
}
