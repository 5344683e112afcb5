package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import java.util.Objects;

/**
 * {@code basic.consume} (60, 20): Starts a consumer on a queue. An empty consumer tag asks the
 * server to generate one.
 */
public record BasicConsume(
    String queue,
    String consumerTag,
    boolean noLocal,
    boolean noAck,
    boolean exclusive,
    boolean nowait,
    FieldTable arguments)
    implements BasicMethod {
  public static final int METHOD_ID = 20;

  public BasicConsume {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(consumerTag, "consumer-tag");
    Objects.requireNonNull(arguments, "arguments");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.consume";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(0); // reserved: ticket
    FieldCodec.writeShortStr(out, queue);
    FieldCodec.writeShortStr(out, consumerTag);
    out.writeByte((noLocal ? 1 : 0) | (noAck ? 2 : 0) | (exclusive ? 4 : 0) | (nowait ? 8 : 0));
    FieldCodec.writeTable(out, arguments);
  }

  static BasicConsume decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    String queue = FieldCodec.readShortStr(in);
    String consumerTag = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean noLocal = (bits & 1) != 0;
    boolean noAck = (bits & 2) != 0;
    boolean exclusive = (bits & 4) != 0;
    boolean nowait = (bits & 8) != 0;
    FieldTable arguments = FieldCodec.readTable(in);
    return new BasicConsume(queue, consumerTag, noLocal, noAck, exclusive, nowait, arguments);
  }
}
