package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code confirm.select} (85, 10): RabbitMQ extension: puts the channel in publisher confirm mode.
 */
public record ConfirmSelect(boolean nowait) implements ConfirmMethod {
  public static final int METHOD_ID = 10;

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "confirm.select";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeByte((nowait ? 1 : 0));
  }

  static ConfirmSelect decode(ByteBuf in) {
    int bits = in.readUnsignedByte();
    boolean nowait = (bits & 1) != 0;
    return new ConfirmSelect(nowait);
  }
}
