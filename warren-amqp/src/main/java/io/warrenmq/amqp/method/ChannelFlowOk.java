package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code channel.flow-ok} (20, 21): Confirms channel.flow with the flow state now in effect. */
public record ChannelFlowOk(boolean active) implements ChannelMethod {
  public static final int METHOD_ID = 21;

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "channel.flow-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeByte((active ? 1 : 0));
  }

  static ChannelFlowOk decode(ByteBuf in) {
    int bits = in.readUnsignedByte();
    boolean active = (bits & 1) != 0;
    return new ChannelFlowOk(active);
  }
}
