package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code channel.close-ok} (20, 41): Confirms channel.close. */
public record ChannelCloseOk() implements ChannelMethod {
  public static final int METHOD_ID = 41;
  public static final ChannelCloseOk INSTANCE = new ChannelCloseOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "channel.close-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static ChannelCloseOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
