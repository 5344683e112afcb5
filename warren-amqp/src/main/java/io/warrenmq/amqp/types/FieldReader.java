package io.warrenmq.amqp.types;

import static io.warrenmq.amqp.types.FieldValues.MAX_DEPTH;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decodes field tables, arrays and values. Every length is checked against the readable bytes
 * before anything of that length is allocated, so a hostile length costs nothing. Borrows the
 * buffer and advances its reader index. Stateless.
 */
final class FieldReader {
  private FieldReader() {}

  static FieldTable readTable(ByteBuf in, int depth) {
    checkDepth(depth);
    ByteBuf body = readSized(in, "field table");
    if (!body.isReadable()) {
      return FieldTable.EMPTY;
    }
    LinkedHashMap<String, @Nullable Object> entries = new LinkedHashMap<>();
    while (body.isReadable()) {
      String key = FieldCodec.readShortStr(body);
      Object value = readValue(body, depth + 1, "field table");
      // a repeated key keeps its first value, as the Java client does
      entries.putIfAbsent(key, value);
    }
    return FieldTable.wrap(entries);
  }

  static List<@Nullable Object> readArray(ByteBuf in, int depth) {
    checkDepth(depth);
    ByteBuf body = readSized(in, "field array");
    if (!body.isReadable()) {
      return List.of();
    }
    List<@Nullable Object> values = new ArrayList<>();
    while (body.isReadable()) {
      values.add(readValue(body, depth + 1, "field array"));
    }
    return Collections.unmodifiableList(values);
  }

  static @Nullable Object readValue(ByteBuf in, int depth, String where) {
    need(in, 1, where);
    int type = in.readUnsignedByte();
    return switch (type) {
      case 't' -> need(in, 1, where).readBoolean();
      case 'b' -> need(in, 1, where).readByte();
      case 'B' -> new UnsignedByte(need(in, 1, where).readUnsignedByte());
      case 's' -> need(in, 2, where).readShort();
      case 'u' -> new UnsignedShort(need(in, 2, where).readUnsignedShort());
      case 'I' -> need(in, 4, where).readInt();
      case 'i' -> new UnsignedInt(need(in, 4, where).readUnsignedInt());
      case 'l' -> need(in, 8, where).readLong();
      case 'f' -> need(in, 4, where).readFloat();
      case 'd' -> need(in, 8, where).readDouble();
      case 'D' -> {
        need(in, 5, where);
        int scale = in.readUnsignedByte();
        yield BigDecimal.valueOf(in.readInt(), scale);
      }
      case 'S' -> FieldCodec.readLongStr(in);
      case 'T' -> new Timestamp(need(in, 8, where).readLong());
      case 'F' -> readTable(in, depth);
      case 'A' -> readArray(in, depth);
      case 'x' -> new ByteArray(readBytes(in, "byte array"));
      case 'V' -> null;
      default -> throw syntax("unknown field type %s in %s", describe(type), where);
    };
  }

  /** Reads a 32-bit length and returns a slice of that many bytes (a view, not a copy). */
  private static ByteBuf readSized(ByteBuf in, String what) {
    long length = need(in, 4, what).readUnsignedInt();
    if (length > in.readableBytes()) {
      throw syntax(
          "%s overruns the frame (length %d, %d bytes left)", what, length, in.readableBytes());
    }
    return in.readSlice((int) length);
  }

  static byte[] readBytes(ByteBuf in, String what) {
    long length = need(in, 4, what).readUnsignedInt();
    if (length > in.readableBytes()) {
      throw syntax(
          "%s overruns the frame (length %d, %d bytes left)", what, length, in.readableBytes());
    }
    byte[] bytes = new byte[(int) length];
    in.readBytes(bytes);
    return bytes;
  }

  static ByteBuf need(ByteBuf in, int bytes, String where) {
    if (in.readableBytes() < bytes) {
      throw syntax("%s is truncated", where);
    }
    return in;
  }

  private static void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw syntax("field tables and arrays nest deeper than %d levels", MAX_DEPTH);
    }
  }

  private static String describe(int type) {
    return type > 0x20 && type < 0x7F ? "'" + (char) type + "'" : String.format("0x%02X", type);
  }

  static AmqpException syntax(String fmt, Object... args) {
    return AmqpException.connectionError(ReplyCode.SYNTAX_ERROR, fmt, args);
  }
}
