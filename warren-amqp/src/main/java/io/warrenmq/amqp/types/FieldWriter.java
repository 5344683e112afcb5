package io.warrenmq.amqp.types;

import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Encodes field tables, arrays and values. Lengths are written as placeholders and patched once the
 * content is written, so nothing is measured twice. Writes into the caller's buffer; stateless.
 * Values that cannot be encoded are rejected with {@link IllegalArgumentException}: they are
 * programming errors, not protocol errors.
 */
final class FieldWriter {
  private FieldWriter() {}

  static void writeTable(ByteBuf out, Map<?, ?> entries, int depth) {
    FieldValues.checkDepth(depth);
    int lengthIndex = out.writerIndex();
    out.writeInt(0);
    for (Map.Entry<?, ?> e : entries.entrySet()) {
      FieldCodec.writeShortStr(out, FieldValues.checkKey(e.getKey()));
      writeValue(out, e.getValue(), depth + 1);
    }
    patchLength(out, lengthIndex);
  }

  static void writeArray(ByteBuf out, List<?> values, int depth) {
    FieldValues.checkDepth(depth);
    int lengthIndex = out.writerIndex();
    out.writeInt(0);
    for (Object v : values) {
      writeValue(out, v, depth + 1);
    }
    patchLength(out, lengthIndex);
  }

  static void writeValue(ByteBuf out, @Nullable Object value, int depth) {
    switch (value) {
      case null -> out.writeByte('V');
      case Boolean b -> out.writeByte('t').writeBoolean(b);
      case Byte b -> out.writeByte('b').writeByte(b);
      case UnsignedByte b -> out.writeByte('B').writeByte(b.value());
      case Short s -> out.writeByte('s').writeShort(s);
      case UnsignedShort s -> out.writeByte('u').writeShort(s.value());
      case Integer i -> out.writeByte('I').writeInt(i);
      case UnsignedInt i -> out.writeByte('i').writeInt((int) i.value());
      case Long l -> out.writeByte('l').writeLong(l);
      case Float f -> out.writeByte('f').writeFloat(f);
      case Double d -> out.writeByte('d').writeDouble(d);
      case BigDecimal d -> writeDecimal(out, d);
      case LongString s -> FieldCodec.writeLongStr(out.writeByte('S'), s);
      case String s -> {
        out.writeByte('S');
        FieldCodec.writeLongStr(out, s);
      }
      case Timestamp t -> out.writeByte('T').writeLong(t.epochSeconds());
      case FieldTable t -> writeTable(out.writeByte('F'), t.asMap(), depth);
      case Map<?, ?> m -> writeTable(out.writeByte('F'), m, depth);
      case List<?> l -> writeArray(out.writeByte('A'), l, depth);
      case ByteArray x -> {
        byte[] bytes = x.unsafeBytes();
        out.writeByte('x').writeInt(bytes.length).writeBytes(bytes);
      }
      default ->
          throw new IllegalArgumentException(
              "no AMQP field type for " + value.getClass().getName());
    }
  }

  /** Type 'D': a scale octet and a signed 32-bit unscaled value. */
  private static void writeDecimal(ByteBuf out, BigDecimal d) {
    if (d.scale() < 0 || d.scale() > 255) {
      throw new IllegalArgumentException("decimal scale out of 0..255: " + d);
    }
    if (d.unscaledValue().bitLength() > 31) {
      throw new IllegalArgumentException("decimal unscaled value does not fit 32 bits: " + d);
    }
    out.writeByte('D').writeByte(d.scale()).writeInt(d.unscaledValue().intValue());
  }

  private static void patchLength(ByteBuf out, int lengthIndex) {
    out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
  }
}
