package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code confirm.select-ok} (85, 11): Confirms confirm.select. */
public record ConfirmSelectOk() implements ConfirmMethod {
  public static final int METHOD_ID = 11;
  public static final ConfirmSelectOk INSTANCE = new ConfirmSelectOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "confirm.select-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static ConfirmSelectOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
