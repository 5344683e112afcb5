package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import java.util.Objects;

/**
 * {@code exchange.declare} (40, 10): Creates an exchange if it does not exist, or checks it
 * (passive).
 */
public record ExchangeDeclare(
    String exchange,
    String type,
    boolean passive,
    boolean durable,
    boolean autoDelete,
    boolean internal,
    boolean nowait,
    FieldTable arguments)
    implements ExchangeMethod {
  public static final int METHOD_ID = 10;

  public ExchangeDeclare {
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(arguments, "arguments");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "exchange.declare";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(0); // reserved: ticket
    FieldCodec.writeShortStr(out, exchange);
    FieldCodec.writeShortStr(out, type);
    out.writeByte(
        (passive ? 1 : 0)
            | (durable ? 2 : 0)
            | (autoDelete ? 4 : 0)
            | (internal ? 8 : 0)
            | (nowait ? 16 : 0));
    FieldCodec.writeTable(out, arguments);
  }

  static ExchangeDeclare decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    String exchange = FieldCodec.readShortStr(in);
    String type = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean passive = (bits & 1) != 0;
    boolean durable = (bits & 2) != 0;
    boolean autoDelete = (bits & 4) != 0;
    boolean internal = (bits & 8) != 0;
    boolean nowait = (bits & 16) != 0;
    FieldTable arguments = FieldCodec.readTable(in);
    return new ExchangeDeclare(
        exchange, type, passive, durable, autoDelete, internal, nowait, arguments);
  }
}
