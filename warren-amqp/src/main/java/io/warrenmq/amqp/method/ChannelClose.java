package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/**
 * {@code channel.close} (20, 40): Closes the channel, naming the reply code and the offending
 * method (0, 0 when none). The reply text is cut to 255 bytes when encoded.
 */
public record ChannelClose(int replyCode, String replyText, int failingClassId, int failingMethodId)
    implements ChannelMethod {
  public static final int METHOD_ID = 40;

  public ChannelClose {
    Args.checkShort(replyCode, "reply-code");
    Objects.requireNonNull(replyText, "reply-text");
    Args.checkShort(failingClassId, "class-id");
    Args.checkShort(failingMethodId, "method-id");
  }

  /** The close that reports {@code e}: its reply code, reply text and offending method. */
  public static ChannelClose of(AmqpException e) {
    return new ChannelClose(e.replyCode().code(), e.replyText(), e.classId(), e.methodId());
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "channel.close";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(replyCode);
    FieldCodec.writeShortStrTruncated(out, replyText);
    out.writeShort(failingClassId);
    out.writeShort(failingMethodId);
  }

  static ChannelClose decode(ByteBuf in) {
    int replyCode = in.readUnsignedShort();
    String replyText = FieldCodec.readShortStr(in);
    int failingClassId = in.readUnsignedShort();
    int failingMethodId = in.readUnsignedShort();
    return new ChannelClose(replyCode, replyText, failingClassId, failingMethodId);
  }
}
