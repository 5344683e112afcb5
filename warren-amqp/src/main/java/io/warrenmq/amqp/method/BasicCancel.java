package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/**
 * {@code basic.cancel} (60, 30): Cancels a consumer; the server also sends it to the client when a
 * queue goes away (consumer cancel notify).
 */
public record BasicCancel(String consumerTag, boolean nowait) implements BasicMethod {
  public static final int METHOD_ID = 30;

  public BasicCancel {
    Objects.requireNonNull(consumerTag, "consumer-tag");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.cancel";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeShortStr(out, consumerTag);
    out.writeByte((nowait ? 1 : 0));
  }

  static BasicCancel decode(ByteBuf in) {
    String consumerTag = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean nowait = (bits & 1) != 0;
    return new BasicCancel(consumerTag, nowait);
  }
}
