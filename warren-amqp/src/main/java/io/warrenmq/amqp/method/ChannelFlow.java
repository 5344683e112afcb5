package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code channel.flow} (20, 20): Asks the peer to pause (false) or resume (true) sending content.
 */
public record ChannelFlow(boolean active) implements ChannelMethod {
  public static final int METHOD_ID = 20;

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "channel.flow";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeByte((active ? 1 : 0));
  }

  static ChannelFlow decode(ByteBuf in) {
    int bits = in.readUnsignedByte();
    boolean active = (bits & 1) != 0;
    return new ChannelFlow(active);
  }
}
