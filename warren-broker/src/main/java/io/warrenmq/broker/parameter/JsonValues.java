package io.warrenmq.broker.parameter;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON values (maps, lists, strings, longs, doubles, booleans, null) and the field values they are
 * stored as in the definitions log ({@link FieldTable#of} stores them; {@link #fromField} reads
 * them back).
 */
public final class JsonValues {
  private JsonValues() {}

  /** A stored field value as a JSON value: tables become maps, long strings strings, ints longs. */
  public static @Nullable Object fromField(@Nullable Object v) {
    return switch (v) {
      case null -> null;
      case FieldTable t -> {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        t.asMap().forEach((k, x) -> m.put(k, fromField(x)));
        yield m;
      }
      case LongString s -> s.toString();
      case List<?> l -> {
        List<@Nullable Object> out = new ArrayList<>(l.size());
        l.forEach(x -> out.add(fromField(x)));
        yield out;
      }
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Byte b -> (long) b;
      case Float f -> (double) f;
      default -> v;
    };
  }

  /** A JSON value in its canonical form (map keys as strings, integers as longs), deep-copied. */
  public static @Nullable Object canonical(@Nullable Object v) {
    return switch (v) {
      case null -> null;
      case Map<?, ?> m -> {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), canonical(x)));
        yield out;
      }
      case List<?> l -> {
        List<@Nullable Object> out = new ArrayList<>(l.size());
        l.forEach(x -> out.add(canonical(x)));
        yield out;
      }
      case FieldTable t -> fromField(t);
      case LongString s -> s.toString();
      case java.math.BigInteger b -> b.longValue();
      case java.math.BigDecimal d -> d.doubleValue();
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Float f -> (double) f;
      default -> v;
    };
  }
}
