package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/** {@code queue.purge} (50, 30): Removes all ready messages from a queue. */
public record QueuePurge(String queue, boolean nowait) implements QueueMethod {
  public static final int METHOD_ID = 30;

  public QueuePurge {
    Objects.requireNonNull(queue, "queue");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "queue.purge";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(0); // reserved: ticket
    FieldCodec.writeShortStr(out, queue);
    out.writeByte((nowait ? 1 : 0));
  }

  static QueuePurge decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    String queue = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean nowait = (bits & 1) != 0;
    return new QueuePurge(queue, nowait);
  }
}
