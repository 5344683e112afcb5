package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code basic.reject} (60, 90): Rejects one delivery, requeueing it or not. */
public record BasicReject(long deliveryTag, boolean requeue) implements BasicMethod {
  public static final int METHOD_ID = 90;

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.reject";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeLong(deliveryTag);
    out.writeByte((requeue ? 1 : 0));
  }

  static BasicReject decode(ByteBuf in) {
    long deliveryTag = in.readLong();
    int bits = in.readUnsignedByte();
    boolean requeue = (bits & 1) != 0;
    return new BasicReject(deliveryTag, requeue);
  }
}
