package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import java.util.Objects;

/** {@code queue.bind} (50, 20): Binds a queue to an exchange. */
public record QueueBind(
    String queue, String exchange, String routingKey, boolean nowait, FieldTable arguments)
    implements QueueMethod {
  public static final int METHOD_ID = 20;

  public QueueBind {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(routingKey, "routing-key");
    Objects.requireNonNull(arguments, "arguments");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "queue.bind";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(0); // reserved: ticket
    FieldCodec.writeShortStr(out, queue);
    FieldCodec.writeShortStr(out, exchange);
    FieldCodec.writeShortStr(out, routingKey);
    out.writeByte((nowait ? 1 : 0));
    FieldCodec.writeTable(out, arguments);
  }

  static QueueBind decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    String queue = FieldCodec.readShortStr(in);
    String exchange = FieldCodec.readShortStr(in);
    String routingKey = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean nowait = (bits & 1) != 0;
    FieldTable arguments = FieldCodec.readTable(in);
    return new QueueBind(queue, exchange, routingKey, nowait, arguments);
  }
}
