package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code basic.recover-async} (60, 100): Deprecated: redelivers unacknowledged messages, without a
 * reply.
 */
public record BasicRecoverAsync(boolean requeue) implements BasicMethod {
  public static final int METHOD_ID = 100;

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.recover-async";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeByte((requeue ? 1 : 0));
  }

  static BasicRecoverAsync decode(ByteBuf in) {
    int bits = in.readUnsignedByte();
    boolean requeue = (bits & 1) != 0;
    return new BasicRecoverAsync(requeue);
  }
}
