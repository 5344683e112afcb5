package io.warrenmq.broker.message;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.types.FieldCodec;
import org.jspecify.annotations.Nullable;

/**
 * A message record read back from a queue's store, parsed per {@link MessageCodec}: the parts a
 * delivery needs, as slices of the record buffer.
 *
 * <p>Buffers: {@link #properties()} and {@link #body()} are slices of the record; they are valid
 * while the record buffer is (the envelope does not retain it).
 *
 * @param routing the routing keys a version 2 record carries; null for version 1, which routes
 *     with its routing key and CC header
 */
public record Envelope(
    long timestamp,
    long expiresAt,
    String exchange,
    String routingKey,
    @Nullable Routing routing,
    ByteBuf properties,
    ByteBuf body) {

  /** Parses {@code record} (BORROWED; its reader index is not moved). */
  public static Envelope parse(ByteBuf record) {
    ByteBuf in = record.duplicate();
    int version = in.readUnsignedByte();
    if (version != MessageCodec.VERSION && version != MessageCodec.VERSION_ROUTED) {
      throw AmqpException.connectionError(
          ReplyCode.INTERNAL_ERROR, "unknown message record layout %d", version);
    }
    long timestamp = in.readLong();
    long expiresAt = in.readLong();
    String exchange = FieldCodec.readShortStr(in);
    String routingKey = FieldCodec.readShortStr(in);
    Routing routing = version == MessageCodec.VERSION_ROUTED ? MessageCodec.readRouting(in) : null;
    int propsLen = in.readInt();
    ByteBuf props = in.readSlice(propsLen);
    ByteBuf body = in.slice();
    return new Envelope(timestamp, expiresAt, exchange, routingKey, routing, props, body);
  }

  public BasicProperties decodeProperties() {
    return BasicPropertiesCodec.decode(properties);
  }

  public int bodySize() {
    return body.readableBytes();
  }
}
