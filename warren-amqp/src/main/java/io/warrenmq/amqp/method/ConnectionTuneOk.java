package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code connection.tune-ok} (10, 31): The client's negotiated channel-max, frame-max and
 * heartbeat.
 */
public record ConnectionTuneOk(int channelMax, long frameMax, int heartbeat)
    implements ConnectionMethod {
  public static final int METHOD_ID = 31;

  public ConnectionTuneOk {
    Args.checkShort(channelMax, "channel-max");
    Args.checkUnsignedInt(frameMax, "frame-max");
    Args.checkShort(heartbeat, "heartbeat");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.tune-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(channelMax);
    out.writeInt((int) frameMax);
    out.writeShort(heartbeat);
  }

  static ConnectionTuneOk decode(ByteBuf in) {
    int channelMax = in.readUnsignedShort();
    long frameMax = in.readUnsignedInt();
    int heartbeat = in.readUnsignedShort();
    return new ConnectionTuneOk(channelMax, frameMax, heartbeat);
  }
}
