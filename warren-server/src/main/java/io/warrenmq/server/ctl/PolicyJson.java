package io.warrenmq.server.ctl;

import io.warrenmq.amqp.types.FieldTable;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes a policy definition back as JSON for listings, as rabbitmqctl shows it (keys sorted). */
final class PolicyJson {
  private PolicyJson() {}

  static String of(FieldTable t) {
    StringBuilder b = new StringBuilder();
    write(b, t);
    return b.toString();
  }

  private static void write(StringBuilder b, @Nullable Object v) {
    switch (v) {
      case null -> b.append("null");
      case FieldTable t -> {
        b.append('{');
        boolean first = true;
        // rabbitmqctl prints the keys sorted, whatever order they were given in
        for (Map.Entry<String, @Nullable Object> e : new java.util.TreeMap<>(t.asMap()).entrySet()) {
          if (!first) {
            b.append(',');
          }
          first = false;
          string(b, e.getKey());
          b.append(':');
          write(b, e.getValue());
        }
        b.append('}');
      }
      case List<?> l -> {
        b.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          write(b, l.get(i));
        }
        b.append(']');
      }
      case Boolean x -> b.append(x);
      case Number n -> b.append(n);
      default -> string(b, v.toString());
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
