package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/**
 * {@code connection.blocked} (10, 60): RabbitMQ extension: the server has stopped reading from
 * publishing connections (resource alarm).
 */
public record ConnectionBlocked(String reason) implements ConnectionMethod {
  public static final int METHOD_ID = 60;

  public ConnectionBlocked {
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.blocked";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeShortStr(out, reason);
  }

  static ConnectionBlocked decode(ByteBuf in) {
    String reason = FieldCodec.readShortStr(in);
    return new ConnectionBlocked(reason);
  }
}
