package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/** {@code basic.cancel-ok} (60, 31): Confirms basic.cancel. */
public record BasicCancelOk(String consumerTag) implements BasicMethod {
  public static final int METHOD_ID = 31;

  public BasicCancelOk {
    Objects.requireNonNull(consumerTag, "consumer-tag");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.cancel-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeShortStr(out, consumerTag);
  }

  static BasicCancelOk decode(ByteBuf in) {
    String consumerTag = FieldCodec.readShortStr(in);
    return new BasicCancelOk(consumerTag);
  }
}
