package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code queue.bind-ok} (50, 21): Confirms queue.bind. */
public record QueueBindOk() implements QueueMethod {
  public static final int METHOD_ID = 21;
  public static final QueueBindOk INSTANCE = new QueueBindOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "queue.bind-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static QueueBindOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
