package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;

/**
 * {@code channel.open-ok} (20, 11): Confirms channel.open. The reserved channel-id field is written
 * empty.
 */
public record ChannelOpenOk() implements ChannelMethod {
  public static final int METHOD_ID = 11;
  public static final ChannelOpenOk INSTANCE = new ChannelOpenOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "channel.open-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeInt(0); // reserved: channel-id, an empty longstr
  }

  static ChannelOpenOk decode(ByteBuf in) {
    FieldCodec.readLongStr(in); // reserved: channel-id
    return INSTANCE;
  }
}
