package io.warrenmq.amqp.types;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the AMQP 0-9-1 data types of spec 4.2.5: shortstr, longstr, field tables, field
 * arrays and single field values, with RabbitMQ's type letters.
 *
 * <table>
 *   <caption>Field value types</caption>
 *   <tr><th>letter</th><th>Java type</th></tr>
 *   <tr><td>t</td><td>Boolean</td></tr>
 *   <tr><td>b / B</td><td>Byte / {@link UnsignedByte}</td></tr>
 *   <tr><td>s / u</td><td>Short / {@link UnsignedShort}</td></tr>
 *   <tr><td>I / i</td><td>Integer / {@link UnsignedInt}</td></tr>
 *   <tr><td>l</td><td>Long</td></tr>
 *   <tr><td>f / d</td><td>Float / Double</td></tr>
 *   <tr><td>D</td><td>BigDecimal (scale octet, signed 32-bit unscaled value)</td></tr>
 *   <tr><td>S</td><td>{@link LongString} (a String is accepted when writing)</td></tr>
 *   <tr><td>T</td><td>{@link Timestamp}</td></tr>
 *   <tr><td>F</td><td>{@link FieldTable} (a {@code Map<String, ?>} is accepted when writing)</td>
 *   </tr>
 *   <tr><td>A</td><td>unmodifiable {@code List<@Nullable Object>}</td></tr>
 *   <tr><td>x</td><td>{@link ByteArray}</td></tr>
 *   <tr><td>V</td><td>null</td></tr>
 * </table>
 *
 * <p><b>Buffers.</b> Every method borrows its {@code ByteBuf}: readers advance the reader index,
 * writers append at the writer index; nobody here retains or releases.
 *
 * <p><b>Errors.</b> Malformed input (a length that overruns the available bytes, an unknown type
 * letter, nesting deeper than 32 tables or arrays, a truncated value) raises {@code
 * AmqpException.connectionError(SYNTAX_ERROR, ...)}; no length read from the wire is allocated
 * before it has been checked against the readable bytes. Values that cannot be written raise {@link
 * IllegalArgumentException}. Stateless and thread-safe.
 */
public final class FieldCodec {
  /** Longest shortstr, in bytes. */
  public static final int SHORTSTR_MAX = 255;

  private FieldCodec() {}

  /**
   * RabbitMQ's name for a field type letter, as its error texts print it (rabbit_binary_parser:
   * {@code S} is longstr, {@code I} signedint, {@code x} binary ...); the letter itself when
   * unknown.
   */
  public static String rabbitTypeName(int type) {
    return switch (type) {
      case 'S' -> "longstr";
      case 'T' -> "timestamp";
      case 'b' -> "byte";
      case 'B' -> "unsignedbyte";
      case 's' -> "short";
      case 'u' -> "unsignedshort";
      case 'I' -> "signedint";
      case 'i' -> "unsignedint";
      case 'd' -> "double";
      case 'f' -> "float";
      case 'l', 'L' -> "long";
      case 't' -> "bool";
      case 'D' -> "decimal";
      case 'F' -> "table";
      case 'A' -> "array";
      case 'x' -> "binary";
      case 'V' -> "void";
      default -> String.valueOf((char) type);
    };
  }

  /** Reads a shortstr (length octet, UTF-8 bytes). */
  public static String readShortStr(ByteBuf in) {
    FieldReader.need(in, 1, "shortstr");
    int length = in.getUnsignedByte(in.readerIndex());
    if (length + 1 > in.readableBytes()) {
      throw FieldReader.syntax(
          "shortstr overruns the frame (length %d, %d bytes left)", length, in.readableBytes() - 1);
    }
    in.skipBytes(1);
    String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
    in.skipBytes(length);
    return s;
  }

  /**
   * Writes a shortstr.
   *
   * @throws IllegalArgumentException when the UTF-8 encoding is longer than 255 bytes
   */
  public static void writeShortStr(ByteBuf out, String s) {
    int length = ByteBufUtil.utf8Bytes(s);
    if (length > SHORTSTR_MAX) {
      throw new IllegalArgumentException(
          "shortstr longer than 255 bytes (" + length + "): " + s.substring(0, 40) + "...");
    }
    out.writeByte(length);
    ByteBufUtil.reserveAndWriteUtf8(out, s, length);
  }

  /**
   * Writes a shortstr, cutting it to at most 255 bytes at a character boundary. For reply texts,
   * which must never fail to encode.
   */
  public static void writeShortStrTruncated(ByteBuf out, String s) {
    int length = ByteBufUtil.utf8Bytes(s);
    if (length <= SHORTSTR_MAX) {
      out.writeByte(length);
      ByteBufUtil.reserveAndWriteUtf8(out, s, length);
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    int cut = SHORTSTR_MAX;
    while (cut > 0 && (utf8[cut] & 0xC0) == 0x80) {
      cut--; // never split a multi-byte sequence: step back to the start of the character
    }
    out.writeByte(cut).writeBytes(utf8, 0, cut);
  }

  /** Reads a longstr (32-bit length, bytes). */
  public static LongString readLongStr(ByteBuf in) {
    return LongString.wrap(FieldReader.readBytes(in, "longstr"));
  }

  /** Writes a longstr. */
  public static void writeLongStr(ByteBuf out, LongString s) {
    byte[] bytes = s.unsafeBytes();
    out.writeInt(bytes.length).writeBytes(bytes);
  }

  /** Writes {@code bytes} as a longstr. */
  public static void writeLongStr(ByteBuf out, byte[] bytes) {
    out.writeInt(bytes.length).writeBytes(bytes);
  }

  /** Writes the UTF-8 encoding of {@code s} as a longstr. */
  public static void writeLongStr(ByteBuf out, String s) {
    int length = ByteBufUtil.utf8Bytes(s);
    out.writeInt(length);
    ByteBufUtil.reserveAndWriteUtf8(out, s, length);
  }

  /** Reads a field table (32-bit length, then name/value pairs). */
  public static FieldTable readTable(ByteBuf in) {
    return FieldReader.readTable(in, 0);
  }

  /** Writes a field table; {@code null} writes the empty table. */
  public static void writeTable(ByteBuf out, @Nullable FieldTable table) {
    if (table == null || table.isEmpty()) {
      out.writeInt(0);
    } else {
      FieldWriter.writeTable(out, table.asMap(), 0);
    }
  }

  /** Writes a map as a field table, converting values as {@link #writeValue} does. */
  public static void writeTable(ByteBuf out, Map<String, ? extends @Nullable Object> table) {
    FieldWriter.writeTable(out, table, 0);
  }

  /** Reads a field array (32-bit length, then values); the list is unmodifiable. */
  public static List<@Nullable Object> readArray(ByteBuf in) {
    return FieldReader.readArray(in, 0);
  }

  /** Writes a field array. */
  public static void writeArray(ByteBuf out, List<? extends @Nullable Object> values) {
    FieldWriter.writeArray(out, values, 0);
  }

  /** Reads one field value: type letter, then the value. */
  public static @Nullable Object readValue(ByteBuf in) {
    return FieldReader.readValue(in, 0, "field value");
  }

  /**
   * Writes one field value: type letter, then the value.
   *
   * @throws IllegalArgumentException for a type with no letter, a decimal that does not fit, a key
   *     over 255 bytes or nesting deeper than 32 levels
   */
  public static void writeValue(ByteBuf out, @Nullable Object value) {
    FieldWriter.writeValue(out, value, 0);
  }
}
