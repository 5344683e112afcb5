package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code tx.select-ok} (90, 11): Confirms tx.select. */
public record TxSelectOk() implements TxMethod {
  public static final int METHOD_ID = 11;
  public static final TxSelectOk INSTANCE = new TxSelectOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "tx.select-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static TxSelectOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
