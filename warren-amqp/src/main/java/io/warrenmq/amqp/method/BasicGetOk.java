package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/**
 * {@code basic.get-ok} (60, 71): Answers basic.get with a message; content follows. Message-count
 * is unsigned 32-bit.
 */
public record BasicGetOk(
    long deliveryTag, boolean redelivered, String exchange, String routingKey, long messageCount)
    implements BasicMethod {
  public static final int METHOD_ID = 71;

  public BasicGetOk {
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(routingKey, "routing-key");
    Args.checkUnsignedInt(messageCount, "message-count");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.get-ok";
  }

  @Override
  public boolean hasContent() {
    return true;
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeLong(deliveryTag);
    out.writeByte((redelivered ? 1 : 0));
    FieldCodec.writeShortStr(out, exchange);
    FieldCodec.writeShortStr(out, routingKey);
    out.writeInt((int) messageCount);
  }

  static BasicGetOk decode(ByteBuf in) {
    long deliveryTag = in.readLong();
    int bits = in.readUnsignedByte();
    boolean redelivered = (bits & 1) != 0;
    String exchange = FieldCodec.readShortStr(in);
    String routingKey = FieldCodec.readShortStr(in);
    long messageCount = in.readUnsignedInt();
    return new BasicGetOk(deliveryTag, redelivered, exchange, routingKey, messageCount);
  }
}
