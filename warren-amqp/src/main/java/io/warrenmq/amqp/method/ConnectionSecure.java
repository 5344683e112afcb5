package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.LongString;
import java.util.Objects;

/** {@code connection.secure} (10, 20): A SASL challenge from the server. */
public record ConnectionSecure(LongString challenge) implements ConnectionMethod {
  public static final int METHOD_ID = 20;

  public ConnectionSecure {
    Objects.requireNonNull(challenge, "challenge");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.secure";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeLongStr(out, challenge);
  }

  static ConnectionSecure decode(ByteBuf in) {
    LongString challenge = FieldCodec.readLongStr(in);
    return new ConnectionSecure(challenge);
  }
}
