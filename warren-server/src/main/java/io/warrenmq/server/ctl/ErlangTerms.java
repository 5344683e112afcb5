package io.warrenmq.server.ctl;

import io.warrenmq.amqp.types.ByteArray;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.amqp.types.Timestamp;
import io.warrenmq.amqp.types.UnsignedByte;
import io.warrenmq.amqp.types.UnsignedInt;
import io.warrenmq.amqp.types.UnsignedShort;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * AMQP field tables written as rabbitmqctl prints them (client_properties, arguments): its
 * formatter turns a table into a list of {@code {Key, Value}} tuples, strings into charlists, and
 * prints that with Erlang's {@code ~tp} on one line (FormatterHelpers.format_info_item,
 * prettify_amqp_table), e.g. {@code [{"product","RabbitMQ"},{"capabilities",[{"basic.nack",true}]}]}.
 * An empty table or string is {@code []}, as an empty Erlang list.
 */
final class ErlangTerms {
  private ErlangTerms() {}

  static String table(FieldTable t) {
    StringBuilder b = new StringBuilder();
    writeTable(b, t);
    return b.toString();
  }

  private static void writeTable(StringBuilder b, FieldTable t) {
    b.append('[');
    boolean first = true;
    for (Map.Entry<String, @Nullable Object> e : t.asMap().entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      b.append('{');
      string(b, e.getKey());
      b.append(',');
      value(b, e.getValue());
      b.append('}');
    }
    b.append(']');
  }

  private static void value(StringBuilder b, @Nullable Object v) {
    switch (v) {
      case null -> b.append("undefined");
      case FieldTable t -> writeTable(b, t);
      case LongString s -> string(b, s.toString());
      case String s -> string(b, s);
      case List<?> l -> {
        b.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          value(b, l.get(i));
        }
        b.append(']');
      }
      case Boolean x -> b.append(x);
      case Timestamp ts -> b.append(ts.epochSeconds());
      case UnsignedByte u -> b.append(u.value());
      case UnsignedShort u -> b.append(u.value());
      case UnsignedInt u -> b.append(u.value());
      // RabbitMQ decodes a decimal as {decimal, Scale, Unscaled} and prints {Scale, Unscaled}
      case BigDecimal d -> b.append('{').append(d.scale()).append(',').append(d.unscaledValue()).append('}');
      case Double d -> b.append(erlangFloat(d));
      case Float f -> b.append(erlangFloat(f));
      case ByteArray a -> binary(b, a.bytes());
      default -> b.append(v);
    }
  }

  /** An Erlang float as ~p prints it: shortest digits, always a point, "e" for the exponent. */
  static String erlangFloat(double d) {
    String s = Double.toString(d);
    return s.replace("E", "e");
  }

  /** A charlist as ~tp prints it: "..." with Erlang's escapes; the empty one is []. */
  private static void string(StringBuilder b, String s) {
    if (s.isEmpty()) {
      b.append("[]");
      return;
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\%03o", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private static void binary(StringBuilder b, byte[] bytes) {
    b.append("<<");
    for (int i = 0; i < bytes.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(bytes[i] & 0xff);
    }
    b.append(">>");
  }
}
