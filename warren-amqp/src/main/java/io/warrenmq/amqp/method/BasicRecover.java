package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code basic.recover} (60, 110): Redelivers unacknowledged messages of the channel. */
public record BasicRecover(boolean requeue) implements BasicMethod {
  public static final int METHOD_ID = 110;

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.recover";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeByte((requeue ? 1 : 0));
  }

  static BasicRecover decode(ByteBuf in) {
    int bits = in.readUnsignedByte();
    boolean requeue = (bits & 1) != 0;
    return new BasicRecover(requeue);
  }
}
