package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code exchange.unbind-ok} (40, 51): Confirms exchange.unbind (method id 51, not 41, as in
 * RabbitMQ's spec file).
 */
public record ExchangeUnbindOk() implements ExchangeMethod {
  public static final int METHOD_ID = 51;
  public static final ExchangeUnbindOk INSTANCE = new ExchangeUnbindOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "exchange.unbind-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static ExchangeUnbindOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
