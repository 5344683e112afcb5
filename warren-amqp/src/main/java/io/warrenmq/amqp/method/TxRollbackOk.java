package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code tx.rollback-ok} (90, 31): Confirms tx.rollback. */
public record TxRollbackOk() implements TxMethod {
  public static final int METHOD_ID = 31;
  public static final TxRollbackOk INSTANCE = new TxRollbackOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "tx.rollback-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static TxRollbackOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
