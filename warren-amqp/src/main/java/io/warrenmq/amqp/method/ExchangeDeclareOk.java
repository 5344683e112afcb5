package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code exchange.declare-ok} (40, 11): Confirms exchange.declare. */
public record ExchangeDeclareOk() implements ExchangeMethod {
  public static final int METHOD_ID = 11;
  public static final ExchangeDeclareOk INSTANCE = new ExchangeDeclareOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "exchange.declare-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static ExchangeDeclareOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
