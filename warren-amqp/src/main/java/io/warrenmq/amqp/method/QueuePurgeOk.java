package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code queue.purge-ok} (50, 31): Confirms queue.purge with the number of messages removed. */
public record QueuePurgeOk(long messageCount) implements QueueMethod {
  public static final int METHOD_ID = 31;

  public QueuePurgeOk {
    Args.checkUnsignedInt(messageCount, "message-count");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "queue.purge-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeInt((int) messageCount);
  }

  static QueuePurgeOk decode(ByteBuf in) {
    long messageCount = in.readUnsignedInt();
    return new QueuePurgeOk(messageCount);
  }
}
