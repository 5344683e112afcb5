package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import java.util.Objects;

/**
 * {@code queue.declare} (50, 10): Creates a queue if it does not exist, or checks it (passive). An
 * empty name asks the server to generate one.
 */
public record QueueDeclare(
    String queue,
    boolean passive,
    boolean durable,
    boolean exclusive,
    boolean autoDelete,
    boolean nowait,
    FieldTable arguments)
    implements QueueMethod {
  public static final int METHOD_ID = 10;

  public QueueDeclare {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(arguments, "arguments");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "queue.declare";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(0); // reserved: ticket
    FieldCodec.writeShortStr(out, queue);
    out.writeByte(
        (passive ? 1 : 0)
            | (durable ? 2 : 0)
            | (exclusive ? 4 : 0)
            | (autoDelete ? 8 : 0)
            | (nowait ? 16 : 0));
    FieldCodec.writeTable(out, arguments);
  }

  static QueueDeclare decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    String queue = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean passive = (bits & 1) != 0;
    boolean durable = (bits & 2) != 0;
    boolean exclusive = (bits & 4) != 0;
    boolean autoDelete = (bits & 8) != 0;
    boolean nowait = (bits & 16) != 0;
    FieldTable arguments = FieldCodec.readTable(in);
    return new QueueDeclare(queue, passive, durable, exclusive, autoDelete, nowait, arguments);
  }
}
