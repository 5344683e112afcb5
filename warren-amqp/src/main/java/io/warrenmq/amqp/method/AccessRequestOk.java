package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code access.request-ok} (30, 11): Grants the access ticket. The ticket is written as 1, as
 * RabbitMQ does, and ignored on decode.
 */
public record AccessRequestOk() implements AccessMethod {
  public static final int METHOD_ID = 11;
  public static final AccessRequestOk INSTANCE = new AccessRequestOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "access.request-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(1); // reserved: ticket
  }

  static AccessRequestOk decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    return INSTANCE;
  }
}
