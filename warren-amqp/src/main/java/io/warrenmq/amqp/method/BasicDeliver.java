package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/** {@code basic.deliver} (60, 60): Delivers a message to a consumer; content follows. */
public record BasicDeliver(
    String consumerTag, long deliveryTag, boolean redelivered, String exchange, String routingKey)
    implements BasicMethod {
  public static final int METHOD_ID = 60;

  public BasicDeliver {
    Objects.requireNonNull(consumerTag, "consumer-tag");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(routingKey, "routing-key");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.deliver";
  }

  @Override
  public boolean hasContent() {
    return true;
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeShortStr(out, consumerTag);
    out.writeLong(deliveryTag);
    out.writeByte((redelivered ? 1 : 0));
    FieldCodec.writeShortStr(out, exchange);
    FieldCodec.writeShortStr(out, routingKey);
  }

  static BasicDeliver decode(ByteBuf in) {
    String consumerTag = FieldCodec.readShortStr(in);
    long deliveryTag = in.readLong();
    int bits = in.readUnsignedByte();
    boolean redelivered = (bits & 1) != 0;
    String exchange = FieldCodec.readShortStr(in);
    String routingKey = FieldCodec.readShortStr(in);
    return new BasicDeliver(consumerTag, deliveryTag, redelivered, exchange, routingKey);
  }
}
