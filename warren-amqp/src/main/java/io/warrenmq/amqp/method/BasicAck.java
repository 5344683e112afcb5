package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code basic.ack} (60, 80): Acknowledges one delivery, or all up to the tag when multiple is set;
 * the server sends it for publisher confirms.
 */
public record BasicAck(long deliveryTag, boolean multiple) implements BasicMethod {
  public static final int METHOD_ID = 80;

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.ack";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeLong(deliveryTag);
    out.writeByte((multiple ? 1 : 0));
  }

  static BasicAck decode(ByteBuf in) {
    long deliveryTag = in.readLong();
    int bits = in.readUnsignedByte();
    boolean multiple = (bits & 1) != 0;
    return new BasicAck(deliveryTag, multiple);
  }
}
