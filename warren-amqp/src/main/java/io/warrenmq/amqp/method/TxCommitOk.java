package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code tx.commit-ok} (90, 21): Confirms tx.commit. */
public record TxCommitOk() implements TxMethod {
  public static final int METHOD_ID = 21;
  public static final TxCommitOk INSTANCE = new TxCommitOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "tx.commit-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static TxCommitOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
