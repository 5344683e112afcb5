package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.types.FieldCodec;
import java.util.Objects;

/**
 * {@code access.request} (30, 10): Deprecated in 0-9-1 and accepted for old clients: asks for an
 * access ticket to a realm.
 */
public record AccessRequest(
    String realm, boolean exclusive, boolean passive, boolean active, boolean write, boolean read)
    implements AccessMethod {
  public static final int METHOD_ID = 10;

  public AccessRequest {
    Objects.requireNonNull(realm, "realm");
  }

  @Override
  public int methodId() {
    return METHOD_ID;
  }

  @Override
  public String name() {
    return "access.request";
  }

  @Override
  public void encodeArguments(ByteBuf out) {
    FieldCodec.writeShortStr(out, realm);
    out.writeByte(
        (exclusive ? 1 : 0)
            | (passive ? 2 : 0)
            | (active ? 4 : 0)
            | (write ? 8 : 0)
            | (read ? 16 : 0));
  }

  static AccessRequest decode(ByteBuf in) {
    String realm = FieldCodec.readShortStr(in);
    int bits = in.readUnsignedByte();
    boolean exclusive = (bits & 1) != 0;
    boolean passive = (bits & 2) != 0;
    boolean active = (bits & 4) != 0;
    boolean write = (bits & 8) != 0;
    boolean read = (bits & 16) != 0;
    return new AccessRequest(realm, exclusive, passive, active, write, read);
  }
}
