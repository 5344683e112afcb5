package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/**
 * {@code basic.return} (60, 50): Returns an unroutable mandatory message to its publisher; content
 * follows. The reply text is cut to 255 bytes when encoded.
 */
public record BasicReturn(int replyCode, String replyText, String exchange, String routingKey)
    implements BasicMethod {
  public static final int METHOD_ID = 50;

  public BasicReturn {
    Args.checkShort(replyCode, "reply-code");
    Objects.requireNonNull(replyText, "reply-text");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(routingKey, "routing-key");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "basic.return";
  }

  @Override
  public boolean hasContent() {
    return true;
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(replyCode);
    FieldCodec.writeShortStrTruncated(out, replyText);
    FieldCodec.writeShortStr(out, exchange);
    FieldCodec.writeShortStr(out, routingKey);
  }

  static BasicReturn decode(ByteBuf in) {
    int replyCode = in.readUnsignedShort();
    String replyText = FieldCodec.readShortStr(in);
    String exchange = FieldCodec.readShortStr(in);
    String routingKey = FieldCodec.readShortStr(in);
    return new BasicReturn(replyCode, replyText, exchange, routingKey);
  }
}
