package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code basic.nack} (60, 120): RabbitMQ extension: rejects one or several deliveries; the server
 * sends it for publisher confirms.
 */
public record BasicNack(long deliveryTag, boolean multiple, boolean requeue)
    implements BasicMethod {
  public static final int METHOD_ID = 120;

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.nack";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeLong(deliveryTag);
    out.writeByte((multiple ? 1 : 0) | (requeue ? 2 : 0));
  }

  static BasicNack decode(ByteBuf in) {
    long deliveryTag = in.readLong();
    int bits = in.readUnsignedByte();
    boolean multiple = (bits & 1) != 0;
    boolean requeue = (bits & 2) != 0;
    return new BasicNack(deliveryTag, multiple, requeue);
  }
}
