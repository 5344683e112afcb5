package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/** {@code tx.select} (90, 10): Puts the channel in transactional mode. */
public record TxSelect() implements TxMethod {
  public static final int METHOD_ID = 10;
  public static final TxSelect INSTANCE = new TxSelect();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "tx.select";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static TxSelect decode(ByteBuf in) {
    return INSTANCE;
  }
}
