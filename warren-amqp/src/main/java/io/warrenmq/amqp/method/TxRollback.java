package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code tx.rollback} (90, 30): Abandons the current transaction. */
public record TxRollback() implements TxMethod {
  public static final int METHOD_ID = 30;
  public static final TxRollback INSTANCE = new TxRollback();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "tx.rollback";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static TxRollback decode(ByteBuf in) {
    return INSTANCE;
  }
}
