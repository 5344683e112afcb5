package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import java.util.Objects;

/** {@code queue.unbind} (50, 50): Removes a queue binding. It has no nowait flag. */
public record QueueUnbind(String queue, String exchange, String routingKey, FieldTable arguments)
    implements QueueMethod {
  public static final int METHOD_ID = 50;

  public QueueUnbind {
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
    return "queue.unbind";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(0); // reserved: ticket
    FieldCodec.writeShortStr(out, queue);
    FieldCodec.writeShortStr(out, exchange);
    FieldCodec.writeShortStr(out, routingKey);
    FieldCodec.writeTable(out, arguments);
  }

  static QueueUnbind decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    String queue = FieldCodec.readShortStr(in);
    String exchange = FieldCodec.readShortStr(in);
    String routingKey = FieldCodec.readShortStr(in);
    FieldTable arguments = FieldCodec.readTable(in);
    return new QueueUnbind(queue, exchange, routingKey, arguments);
  }
}
