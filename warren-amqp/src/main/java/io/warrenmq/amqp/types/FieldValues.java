package io.warrenmq.amqp.types;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns caller-supplied values into the canonical field value types: {@code String} becomes {@link
 * LongString}, a {@code Map} becomes a {@link FieldTable}, a {@code List} becomes an unmodifiable
 * list of canonical values. Anything that has no type letter is rejected.
 */
final class FieldValues {
  /** Deepest nesting of tables and arrays, as in RabbitMQ's and the Java client's readers. */
  static final int MAX_DEPTH = 32;

  private FieldValues() {}

  static @Nullable Object normalize(@Nullable Object value, int depth) {
    return switch (value) {
      case null -> null;
      case String s -> LongString.of(s);
      case FieldTable t -> t;
      case Map<?, ?> m -> FieldTable.copyOf(m, depth + 1);
      case List<?> l -> normalizeList(l, depth + 1);
      default -> {
        if (!isCanonicalScalar(value)) {
          throw new IllegalArgumentException(
              "no AMQP field type for " + value.getClass().getName());
        }
        yield value;
      }
    };
  }

  private static List<@Nullable Object> normalizeList(List<?> list, int depth) {
    checkDepth(depth);
    List<@Nullable Object> copy = new ArrayList<>(list.size());
    for (Object o : list) {
      copy.add(normalize(o, depth));
    }
    return Collections.unmodifiableList(copy);
  }

  static void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "field tables and arrays nest deeper than " + MAX_DEPTH + " levels");
    }
  }

  static String checkKey(@Nullable Object key) {
    if (!(key instanceof String s)) {
      throw new IllegalArgumentException("field table key must be a String, was " + key);
    }
    if (s.length() > 85 && s.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("field table key longer than 255 bytes: " + s);
    }
    return s;
  }

  private static boolean isCanonicalScalar(Object v) {
    return v instanceof Boolean
        || v instanceof Byte
        || v instanceof UnsignedByte
        || v instanceof Short
        || v instanceof UnsignedShort
        || v instanceof Integer
        || v instanceof UnsignedInt
        || v instanceof Long
        || v instanceof Float
        || v instanceof Double
        || v instanceof BigDecimal
        || v instanceof LongString
        || v instanceof Timestamp
        || v instanceof ByteArray;
  }
}
