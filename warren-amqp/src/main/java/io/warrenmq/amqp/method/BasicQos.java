package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code basic.qos} (60, 10): Sets the prefetch window. Prefetch-size is an unsigned 32-bit value
 * carried in an int; RabbitMQ accepts only 0.
 */
public record BasicQos(int prefetchSize, int prefetchCount, boolean global) implements BasicMethod {
  public static final int METHOD_ID = 10;

  public BasicQos {
    Args.checkShort(prefetchCount, "prefetch-count");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.qos";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeInt(prefetchSize);
    out.writeShort(prefetchCount);
    out.writeByte((global ? 1 : 0));
  }

  static BasicQos decode(ByteBuf in) {
    int prefetchSize = in.readInt();
    int prefetchCount = in.readUnsignedShort();
    int bits = in.readUnsignedByte();
    boolean global = (bits & 1) != 0;
    return new BasicQos(prefetchSize, prefetchCount, global);
  }
}
