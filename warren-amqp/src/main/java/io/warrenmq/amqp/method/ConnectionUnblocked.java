package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code connection.unblocked} (10, 61): RabbitMQ extension: the server reads from publishing
 * connections again.
 */
public record ConnectionUnblocked() implements ConnectionMethod {
  public static final int METHOD_ID = 61;
  public static final ConnectionUnblocked INSTANCE = new ConnectionUnblocked();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.unblocked";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static ConnectionUnblocked decode(ByteBuf in) {
    return INSTANCE;
  }
}
