package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/** {@code basic.consume-ok} (60, 21): Confirms basic.consume with the consumer tag. */
public record BasicConsumeOk(String consumerTag) implements BasicMethod {
  public static final int METHOD_ID = 21;

  public BasicConsumeOk {
    Objects.requireNonNull(consumerTag, "consumer-tag");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.consume-ok";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeShortStr(out, consumerTag);
  }

  static BasicConsumeOk decode(ByteBuf in) {
    String consumerTag = FieldCodec.readShortStr(in);
    return new BasicConsumeOk(consumerTag);
  }
}
