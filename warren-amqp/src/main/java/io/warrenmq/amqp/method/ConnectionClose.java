package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/**
 * {@code connection.close} (10, 50): Closes the connection, naming the reply code and the offending
 * method (0, 0 when none). The reply text is cut to 255 bytes when encoded.
 */
public record ConnectionClose(
    int replyCode, String replyText, int failingClassId, int failingMethodId)
    implements ConnectionMethod {
  public static final int METHOD_ID = 50;

  public ConnectionClose {
    Args.checkShort(replyCode, "reply-code");
    Objects.requireNonNull(replyText, "reply-text");
    Args.checkShort(failingClassId, "class-id");
    Args.checkShort(failingMethodId, "method-id");
  }

  /** The close that reports {@code e}: its reply code, reply text and offending method. */
  public static ConnectionClose of(AmqpException e) {
    return new ConnectionClose(e.replyCode().code(), e.replyText(), e.classId(), e.methodId());
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "connection.close";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(replyCode);
    FieldCodec.writeShortStrTruncated(out, replyText);
    out.writeShort(failingClassId);
    out.writeShort(failingMethodId);
  }

  static ConnectionClose decode(ByteBuf in) {
    int replyCode = in.readUnsignedShort();
    String replyText = FieldCodec.readShortStr(in);
    int failingClassId = in.readUnsignedShort();
    int failingMethodId = in.readUnsignedShort();
    return new ConnectionClose(replyCode, replyText, failingClassId, failingMethodId);
  }
}
