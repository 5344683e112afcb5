package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/** {@code queue.delete} (50, 40): Deletes a queue. */
public record QueueDelete(String queue, boolean ifUnused, boolean ifEmpty, boolean nowait)
    implements QueueMethod {
  public static final int METHOD_ID = 40;

  public QueueDelete {
    Objects.requireNonNull(queue, "queue");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "queue.delete";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(0); // reserved: ticket
    FieldCodec.writeShortStr(out, queue);
    out.writeByte((ifUnused ? 1 : 0) | (ifEmpty ? 2 : 0) | (nowait ? 4 : 0));
  }

  static QueueDelete decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    String queue = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean ifUnused = (bits & 1) != 0;
    boolean ifEmpty = (bits & 2) != 0;
    boolean nowait = (bits & 4) != 0;
    return new QueueDelete(queue, ifUnused, ifEmpty, nowait);
  }
}
