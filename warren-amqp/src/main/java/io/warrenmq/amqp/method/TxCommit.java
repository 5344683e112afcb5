package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code tx.commit} (90, 20): Commits the current transaction. */
public record TxCommit() implements TxMethod {
  public static final int METHOD_ID = 20;
  public static final TxCommit INSTANCE = new TxCommit();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "tx.commit";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static TxCommit decode(ByteBuf in) {
    return INSTANCE;
  }
}
