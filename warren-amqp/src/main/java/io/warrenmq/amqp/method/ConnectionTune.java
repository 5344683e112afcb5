package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code connection.tune} (10, 30): The server's proposed channel-max, frame-max and heartbeat (0
 * means no limit).
 */
public record ConnectionTune(int channelMax, long frameMax, int heartbeat)
    implements ConnectionMethod {
  public static final int METHOD_ID = 30;

  public ConnectionTune {
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
    return "connection.tune";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(channelMax);
    out.writeInt((int) frameMax);
    out.writeShort(heartbeat);
  }

  static ConnectionTune decode(ByteBuf in) {
    int channelMax = in.readUnsignedShort();
    long frameMax = in.readUnsignedInt();
    int heartbeat = in.readUnsignedShort();
    return new ConnectionTune(channelMax, frameMax, heartbeat);
  }
}
