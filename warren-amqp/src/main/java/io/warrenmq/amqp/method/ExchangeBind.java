package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import java.util.Objects;

/** {@code exchange.bind} (40, 30): RabbitMQ extension: binds an exchange to another exchange. */
public record ExchangeBind(
    String destination, String source, String routingKey, boolean nowait, FieldTable arguments)
    implements ExchangeMethod {
  public static final int METHOD_ID = 30;

  public ExchangeBind {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(routingKey, "routing-key");
    Objects.requireNonNull(arguments, "arguments");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "exchange.bind";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(0); // reserved: ticket
    FieldCodec.writeShortStr(out, destination);
    FieldCodec.writeShortStr(out, source);
    FieldCodec.writeShortStr(out, routingKey);
    out.writeByte((nowait ? 1 : 0));
    FieldCodec.writeTable(out, arguments);
  }

  static ExchangeBind decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    String destination = FieldCodec.readShortStr(in);
    String source = FieldCodec.readShortStr(in);
    String routingKey = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean nowait = (bits & 1) != 0;
    FieldTable arguments = FieldCodec.readTable(in);
    return new ExchangeBind(destination, source, routingKey, nowait, arguments);
  }
}
