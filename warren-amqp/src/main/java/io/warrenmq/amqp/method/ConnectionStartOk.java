package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import java.util.Objects;

/**
 * {@code connection.start-ok} (10, 11): The client's choice of SASL mechanism and locale, with its
 * properties and its first SASL response.
 */
public record ConnectionStartOk(
    FieldTable clientProperties, String mechanism, LongString response, String locale)
    implements ConnectionMethod {
  public static final int METHOD_ID = 11;

  public ConnectionStartOk {
    Objects.requireNonNull(clientProperties, "client-properties");
    Objects.requireNonNull(mechanism, "mechanism");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(locale, "locale");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.start-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeTable(out, clientProperties);
    FieldCodec.writeShortStr(out, mechanism);
    FieldCodec.writeLongStr(out, response);
    FieldCodec.writeShortStr(out, locale);
  }

  static ConnectionStartOk decode(ByteBuf in) {
    FieldTable clientProperties = FieldCodec.readTable(in);
    String mechanism = FieldCodec.readShortStr(in);
    LongString response = FieldCodec.readLongStr(in);
    String locale = FieldCodec.readShortStr(in);
    return new ConnectionStartOk(clientProperties, mechanism, response, locale);
  }

  /** Shows the length of the secret, never its bytes: this method carries credentials. */
  @Override
  public String toString() {
    return "ConnectionStartOk[clientProperties="
        + clientProperties
        + ", mechanism="
        + mechanism
        + ", response=<"
        + response.length()
        + " bytes>, locale="
        + locale
        + "]";
  }
}
