package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;

/**
 * {@code connection.open-ok} (10, 41): Confirms connection.open. The reserved known-hosts field is
 * written empty.
 */
public record ConnectionOpenOk() implements ConnectionMethod {
  public static final int METHOD_ID = 41;
  public static final ConnectionOpenOk INSTANCE = new ConnectionOpenOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.open-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeByte(0); // reserved: known-hosts, an empty shortstr
  }

  static ConnectionOpenOk decode(ByteBuf in) {
    FieldCodec.readShortStr(in); // reserved: known-hosts
    return INSTANCE;
  }
}
