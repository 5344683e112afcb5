package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.LongString;
import java.util.Objects;

/** {@code connection.secure-ok} (10, 21): The client's answer to a SASL challenge. */
public record ConnectionSecureOk(LongString response) implements ConnectionMethod {
  public static final int METHOD_ID = 21;

  public ConnectionSecureOk {
    Objects.requireNonNull(response, "response");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.secure-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeLongStr(out, response);
  }

  static ConnectionSecureOk decode(ByteBuf in) {
    LongString response = FieldCodec.readLongStr(in);
    return new ConnectionSecureOk(response);
  }

  /** Shows the length of the secret, never its bytes: this method carries credentials. */
  @Override
  public String toString() {
    return "ConnectionSecureOk[response=<" + response.length() + " bytes>]";
  }
}
