package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code connection.close-ok} (10, 51): Confirms connection.close; the socket may be closed after
 * it.
 */
public record ConnectionCloseOk() implements ConnectionMethod {
  public static final int METHOD_ID = 51;
  public static final ConnectionCloseOk INSTANCE = new ConnectionCloseOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.close-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static ConnectionCloseOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
