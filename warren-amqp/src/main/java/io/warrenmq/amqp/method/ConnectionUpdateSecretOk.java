package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * {@code connection.update-secret-ok} (10, 71): RabbitMQ extension: confirms
 * connection.update-secret.
 */
public record ConnectionUpdateSecretOk() implements ConnectionMethod {
  public static final int METHOD_ID = 71;
  public static final ConnectionUpdateSecretOk INSTANCE = new ConnectionUpdateSecretOk();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.update-secret-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {}

  static ConnectionUpdateSecretOk decode(ByteBuf in) {
    return INSTANCE;
  }
}
