package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.LongString;
import java.util.Objects;

/**
 * {@code connection.update-secret} (10, 70): RabbitMQ extension: the client replaces its credential
 * (for example an expiring OAuth 2 token).
 */
public record ConnectionUpdateSecret(LongString newSecret, String reason)
    implements ConnectionMethod {
  public static final int METHOD_ID = 70;

  public ConnectionUpdateSecret {
    Objects.requireNonNull(newSecret, "new-secret");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.update-secret";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeLongStr(out, newSecret);
    FieldCodec.writeShortStr(out, reason);
  }

  static ConnectionUpdateSecret decode(ByteBuf in) {
    LongString newSecret = FieldCodec.readLongStr(in);
    String reason = FieldCodec.readShortStr(in);
    return new ConnectionUpdateSecret(newSecret, reason);
  }

  /** Shows the length of the secret, never its bytes: this method carries credentials. */
  @Override
  public String toString() {
    return "ConnectionUpdateSecret[newSecret=<"
        + newSecret.length()
        + " bytes>, reason="
        + reason
        + "]";
  }
}
