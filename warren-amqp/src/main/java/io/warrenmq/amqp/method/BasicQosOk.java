package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code basic.qos-ok} (60, 11): Confirms basic.qos. */
public record BasicQosOk() implements BasicMethod {
  public static final int METHOD_ID = 11;
  public static final BasicQosOk INSTANCE = new BasicQosOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.qos-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static BasicQosOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
