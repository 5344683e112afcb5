package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;

/**
 * {@code channel.open} (20, 10): Opens a channel. The reserved out-of-band field is written empty.
 */
public record ChannelOpen() implements ChannelMethod {
  public static final int METHOD_ID = 10;
  public static final ChannelOpen INSTANCE = new ChannelOpen();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "channel.open";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeByte(0); // reserved: out-of-band, an empty shortstr
  }

  static ChannelOpen decode(ByteBuf in) {
    FieldCodec.readShortStr(in); // reserved: out-of-band
    return INSTANCE;
  }
}
