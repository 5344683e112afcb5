package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code exchange.delete-ok} (40, 21): Confirms exchange.delete. */
public record ExchangeDeleteOk() implements ExchangeMethod {
  public static final int METHOD_ID = 21;
  public static final ExchangeDeleteOk INSTANCE = new ExchangeDeleteOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "exchange.delete-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static ExchangeDeleteOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
