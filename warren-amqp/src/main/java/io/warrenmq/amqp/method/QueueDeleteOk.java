package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code queue.delete-ok} (50, 41): Confirms queue.delete with the number of messages deleted. */
public record QueueDeleteOk(long messageCount) implements QueueMethod {
  public static final int METHOD_ID = 41;

  public QueueDeleteOk {
    Args.checkUnsignedInt(messageCount, "message-count");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "queue.delete-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeInt((int) messageCount);
  }

  static QueueDeleteOk decode(ByteBuf in) {
    long messageCount = in.readUnsignedInt();
    return new QueueDeleteOk(messageCount);
  }
}
