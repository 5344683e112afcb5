package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code basic.recover-ok} (60, 111): Confirms basic.recover. */
public record BasicRecoverOk() implements BasicMethod {
  public static final int METHOD_ID = 111;
  public static final BasicRecoverOk INSTANCE = new BasicRecoverOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.recover-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static BasicRecoverOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
