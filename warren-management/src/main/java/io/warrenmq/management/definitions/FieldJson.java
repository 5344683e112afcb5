package io.warrenmq.management.definitions;

import io.warrenmq.amqp.types.ByteArray;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.amqp.types.Timestamp;
import io.warrenmq.amqp.types.UnsignedByte;
import io.warrenmq.amqp.types.UnsignedInt;
import io.warrenmq.amqp.types.UnsignedShort;
import io.warrenmq.broker.parameter.JsonValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * AMQP field tables (arguments) as JSON and back, as RabbitMQ converts them in definitions
 * (rabbit_misc:amqp_table and to_amqp_table): every number type a JSON number, a timestamp its
 * seconds, strings and binaries strings, tables objects, arrays lists; JSON integers come back as
 * longs, other numbers as doubles, strings as long strings.
 */
public final class FieldJson {
  private FieldJson() {}

  public static Map<String, Object> table(FieldTable t) {
    Map<String, Object> m = new LinkedHashMap<>();
    t.asMap().forEach((k, v) -> m.put(k, value(v)));
    return m;
  }

  static @Nullable Object value(@Nullable Object v) {
    return switch (v) {
      case null -> null;
      case FieldTable t -> table(t);
      case LongString s -> s.toString();
      case List<?> l -> {
        List<@Nullable Object> out = new ArrayList<>(l.size());
        l.forEach(x -> out.add(value(x)));
        yield out;
      }
      case UnsignedByte b -> (long) b.value();
      case UnsignedShort s -> (long) s.value();
      case UnsignedInt i -> i.value();
      case Timestamp ts -> ts.epochSeconds();
      case ByteArray b -> new String(b.bytes(), StandardCharsets.UTF_8);
      default -> v;
    };
  }

  /** A JSON object of arguments as a field table (null or anything else than an object: empty). */
  @SuppressWarnings("unchecked")
  public static FieldTable arguments(@Nullable Object json) {
    if (!(JsonValues.canonical(json) instanceof Map<?, ?> m) || m.isEmpty()) {
      return FieldTable.EMPTY;
    }
    return FieldTable.of((Map<String, Object>) m);
  }
}
