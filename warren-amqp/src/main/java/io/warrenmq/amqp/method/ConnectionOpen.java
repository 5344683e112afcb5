package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/**
 * {@code connection.open} (10, 40): Opens the connection to a virtual host. The reserved
 * capabilities and insist fields are written empty and ignored on decode.
 */
public record ConnectionOpen(String virtualHost) implements ConnectionMethod {
  public static final int METHOD_ID = 40;

  public ConnectionOpen {
    Objects.requireNonNull(virtualHost, "virtual-host");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.open";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeShortStr(out, virtualHost);
    out.writeByte(0); // reserved: capabilities, an empty shortstr
    out.writeByte(0); // reserved: insist
  }

  static ConnectionOpen decode(ByteBuf in) {
    String virtualHost = FieldCodec.readShortStr(in);
    FieldCodec.readShortStr(in); // reserved: capabilities
    in.skipBytes(1); // reserved: insist
    return new ConnectionOpen(virtualHost);
  }
}
