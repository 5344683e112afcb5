package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code exchange.bind-ok} (40, 31): Confirms exchange.bind. */
public record ExchangeBindOk() implements ExchangeMethod {
  public static final int METHOD_ID = 31;
  public static final ExchangeBindOk INSTANCE = new ExchangeBindOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "exchange.bind-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static ExchangeBindOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
