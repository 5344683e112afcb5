package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/** {@code exchange.delete} (40, 20): Deletes an exchange. */
public record ExchangeDelete(String exchange, boolean ifUnused, boolean nowait)
    implements ExchangeMethod {
  public static final int METHOD_ID = 20;

  public ExchangeDelete {
    Objects.requireNonNull(exchange, "exchange");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "exchange.delete";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    out.writeShort(0); // reserved: ticket
    FieldCodec.writeShortStr(out, exchange);
    out.writeByte((ifUnused ? 1 : 0) | (nowait ? 2 : 0));
  }

  static ExchangeDelete decode(ByteBuf in) {
    in.skipBytes(2); // reserved: ticket
    String exchange = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean ifUnused = (bits & 1) != 0;
    boolean nowait = (bits & 2) != 0;
    return new ExchangeDelete(exchange, ifUnused, nowait);
  }
}
