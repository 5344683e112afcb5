package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code queue.unbind-ok} (50, 51): Confirms queue.unbind. */
public record QueueUnbindOk() implements QueueMethod {
  public static final int METHOD_ID = 51;
  public static final QueueUnbindOk INSTANCE = new QueueUnbindOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "queue.unbind-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static QueueUnbindOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
