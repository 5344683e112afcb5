package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;

/**
 * {@code basic.get-empty} (60, 72): Answers basic.get when the queue is empty. The reserved
 * cluster-id is written empty.
 */
public record BasicGetEmpty() implements BasicMethod {
  public static final int METHOD_ID = 72;
  public static final BasicGetEmpty INSTANCE = new BasicGetEmpty();

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.get-empty";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeByte(0); // reserved: cluster-id, an empty shortstr
  }

  static BasicGetEmpty decode(ByteBuf in) {
    FieldCodec.readShortStr(in); // reserved: cluster-id
    return INSTANCE;
  }
}
