package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/** {@code basic.publish} (60, 40): Publishes a message; a content header and body frames follow. */
public record BasicPublish(String exchange, String routingKey, boolean mandatory, boolean immediate)
    implements BasicMethod {
  public static final int METHOD_ID = 40;

  public BasicPublish {
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(routingKey, "routing-key");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.publish";
  }

  @Override
  public boolean hasContent() {
    return true;
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(0); // reserved: ticket
    FieldCodec.writeShortStr(out, exchange);
    FieldCodec.writeShortStr(out, routingKey);
    out.writeByte((mandatory ? 1 : 0) | (immediate ? 2 : 0));
  }

  static BasicPublish decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    String exchange = FieldCodec.readShortStr(in);
    String routingKey = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean mandatory = (bits & 1) != 0;
    boolean immediate = (bits & 2) != 0;
    return new BasicPublish(exchange, routingKey, mandatory, immediate);
  }
}
