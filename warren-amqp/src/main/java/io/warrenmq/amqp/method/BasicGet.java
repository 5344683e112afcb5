package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/** {@code basic.get} (60, 70): Fetches one message synchronously. */
public record BasicGet(String queue, boolean noAck) implements BasicMethod {
  public static final int METHOD_ID = 70;

  public BasicGet {
    Objects.requireNonNull(queue, "queue");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.get";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(0); // reserved: ticket
    FieldCodec.writeShortStr(out, queue);
    out.writeByte((noAck ? 1 : 0));
  }

  static BasicGet decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    String queue = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean noAck = (bits & 1) != 0;
    return new BasicGet(queue, noAck);
  }
}
