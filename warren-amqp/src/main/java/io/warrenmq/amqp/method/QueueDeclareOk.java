package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/**
 * {@code queue.declare-ok} (50, 11): Confirms queue.declare with the queue's name and its message
 * and consumer counts (unsigned 32-bit).
 */
public record QueueDeclareOk(String queue, long messageCount, long consumerCount)
    implements QueueMethod {
  public static final int METHOD_ID = 11;

  public QueueDeclareOk {
    Objects.requireNonNull(queue, "queue");
    Args.checkUnsignedInt(messageCount, "message-count");
    Args.checkUnsignedInt(consumerCount, "consumer-count");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "queue.declare-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeShortStr(out, queue);
    out.writeInt((int) messageCount);
    out.writeInt((int) consumerCount);
  }

  static QueueDeclareOk decode(ByteBuf in) {
    String queue = FieldCodec.readShortStr(in);
    long messageCount = in.readUnsignedInt();
    long consumerCount = in.readUnsignedInt();
    return new QueueDeclareOk(queue, messageCount, consumerCount);
  }
}
