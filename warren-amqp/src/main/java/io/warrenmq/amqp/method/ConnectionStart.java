package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import java.util.Objects;

/**
 * {@code connection.start} (10, 10): The server's opening offer: protocol version, server
 * properties, SASL mechanisms and locales.
 */
public record ConnectionStart(
    int versionMajor,
    int versionMinor,
    FieldTable serverProperties,
    LongString mechanisms,
    LongString locales)
    implements ConnectionMethod {
  public static final int METHOD_ID = 10;

  public ConnectionStart {
    Args.checkOctet(versionMajor, "version-major");
    Args.checkOctet(versionMinor, "version-minor");
    Objects.requireNonNull(serverProperties, "server-properties");
    Objects.requireNonNull(mechanisms, "mechanisms");
    Objects.requireNonNull(locales, "locales");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.start";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeByte(versionMajor);
    out.writeByte(versionMinor);
    FieldCodec.writeTable(out, serverProperties);
    FieldCodec.writeLongStr(out, mechanisms);
    FieldCodec.writeLongStr(out, locales);
  }

  static ConnectionStart decode(ByteBuf in) {
    int versionMajor = in.readUnsignedByte();
    int versionMinor = in.readUnsignedByte();
    FieldTable serverProperties = FieldCodec.readTable(in);
    LongString mechanisms = FieldCodec.readLongStr(in);
    LongString locales = FieldCodec.readLongStr(in);
    return new ConnectionStart(versionMajor, versionMinor, serverProperties, mechanisms, locales);
  }
}
