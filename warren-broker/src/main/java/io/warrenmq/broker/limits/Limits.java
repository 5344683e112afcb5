package io.warrenmq.broker.limits;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.term.ErlangTerm;
import io.warrenmq.broker.term.ValidationError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A set of named limits ({@code max-connections: 10}), sorted by name, immutable. A negative value
 * means no limit, as in RabbitMQ (rabbit_vhost_limit get_limit, rabbit_auth_backend_internal
 * get_user_limit); 0 refuses everything.
 *
 * @param values the limits by name
 */
public record Limits(Map<String, Long> values) {
  public static final Limits NONE = new Limits(Map.of());
  /** The keys of a vhost's limits (rabbit_vhost_limit vhost_limit_validation). */
  public static final List<String> VHOST_KEYS = List.of("max-connections", "max-queues");
  /** The keys of a user's limits (rabbit_auth_backend_internal user_limit_validation). */
  public static final List<String> USER_KEYS = List.of("max-connections", "max-channels");

  public Limits {
    values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /** The limit {@code name}, or -1 when there is none (absent or negative). */
  public long get(String name) {
    Long v = values.get(name);
    return v == null || v < 0 ? -1 : v;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** These limits with {@code more} set over them (internal_user:update_limits add). */
  public Limits with(Limits more) {
    TreeMap<String, Long> m = new TreeMap<>(values);
    m.putAll(more.values);
    return new Limits(m);
  }

  public Limits without(String name) {
    TreeMap<String, Long> m = new TreeMap<>(values);
    m.remove(name);
    return new Limits(m);
  }

  /** As a field table, for the definitions log and runtime parameter values. */
  public FieldTable table() {
    return FieldTable.of(values);
  }

  /** Limits from a stored table (unknown value types are skipped). */
  public static Limits ofTable(@Nullable FieldTable t) {
    if (t == null) {
      return NONE;
    }
    TreeMap<String, Long> m = new TreeMap<>();
    for (String k : t.asMap().keySet()) {
      Long v = t.getLong(k);
      if (v != null) {
        m.put(k, v);
      }
    }
    return new Limits(m);
  }

  /**
   * The errors of {@code value} as limits named {@code name} with the keys {@code allowed}, in
   * rabbit_parameter_validation:proplist's order and texts: "Unrecognised terms [{<<"max-foo">>,1}]
   * in limits" first, then "max-queues should be a number, actually was <<"x">>" per bad value;
   * "limits not a list 5" for a value that is not an object. Empty when valid.
   *
   * @param value a JSON value: a map of names to numbers is valid
   */
  public static List<String> errors(String name, List<String> allowed, @Nullable Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      return List.of(name + " not a list " + ErlangTerm.ofJson(value).print());
    }
    TreeMap<String, @Nullable Object> rest = new TreeMap<>();
    map.forEach((k, v) -> rest.put(String.valueOf(k), v));
    List<String> results = new ArrayList<>();
    for (String key : allowed) {
      if (rest.containsKey(key)) {
        Object v = rest.remove(key);
        if (!isInteger(v)) {
          // each result is prepended to the list, so the last constraint's error comes first
          results.addFirst(key + " should be a number, actually was " + ErlangTerm.ofJson(v).print());
        }
      }
    }
    if (!rest.isEmpty()) {
      List<ErlangTerm> terms = new ArrayList<>();
      rest.forEach((k, v) -> terms.add(ErlangTerm.tuple(ErlangTerm.bin(k), ErlangTerm.ofJson(v))));
      results.addFirst("Unrecognised terms " + new ErlangTerm.ListOf(terms).print() + " in " + name);
    }
    return results;
  }

  /** Valid limits from a JSON value, or a {@link ValidationError} with the first error (user limits). */
  public static Limits parse(String name, List<String> allowed, @Nullable Object value) {
    List<String> errors = errors(name, allowed, value);
    if (!errors.isEmpty()) {
      throw ValidationError.text(errors.getFirst());
    }
    return fromJson((Map<?, ?>) value);
  }

  /** Limits from a validated JSON object. */
  public static Limits fromJson(Map<?, ?> value) {
    TreeMap<String, Long> m = new TreeMap<>();
    value.forEach((k, v) -> m.put(String.valueOf(k), ((Number) v).longValue()));
    return new Limits(m);
  }

  private static boolean isInteger(@Nullable Object v) {
    return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
        || v instanceof java.math.BigInteger;
  }
}
