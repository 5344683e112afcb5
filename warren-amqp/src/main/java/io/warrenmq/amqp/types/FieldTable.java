package io.warrenmq.amqp.types;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An AMQP field table (spec 4.2.5.5, type {@code 'F'}): shortstr keys mapped to field values,
 * immutable and kept in insertion order (the order it was decoded in, or built in).
 *
 * <p>Values are always of the canonical types listed in {@link FieldCodec}; {@link #of(Map)} and
 * {@link #with(String, Object)} convert a {@code String} to {@link LongString}, a {@code Map} to a
 * nested {@code FieldTable} and a {@code List} to an unmodifiable list, and reject other types with
 * {@link IllegalArgumentException}. Equality is by content. Instances are immutable and
 * thread-safe.
 */
public final class FieldTable {
  /** The empty table. */
  public static final FieldTable EMPTY = new FieldTable(new LinkedHashMap<>());

  private final Map<String, @Nullable Object> entries;

  private FieldTable(LinkedHashMap<String, @Nullable Object> entries) {
    this.entries = Collections.unmodifiableMap(entries);
  }

  /**
   * A table with the entries of {@code map}, converted to canonical value types.
   *
   * @throws IllegalArgumentException for a value with no field type, a key over 255 bytes, or
   *     nesting deeper than 32 levels
   */
  public static FieldTable of(Map<String, ? extends @Nullable Object> map) {
    return copyOf(map, 0);
  }

  static FieldTable copyOf(Map<?, ?> map, int depth) {
    FieldValues.checkDepth(depth);
    if (map.isEmpty()) {
      return EMPTY;
    }
    LinkedHashMap<String, @Nullable Object> copy = LinkedHashMap.newLinkedHashMap(map.size());
    for (Map.Entry<?, ?> e : map.entrySet()) {
      copy.put(FieldValues.checkKey(e.getKey()), FieldValues.normalize(e.getValue(), depth));
    }
    return new FieldTable(copy);
  }

  /** Builds a table from entries already in canonical form (the decoder). */
  static FieldTable wrap(LinkedHashMap<String, @Nullable Object> decoded) {
    return decoded.isEmpty() ? EMPTY : new FieldTable(decoded);
  }

  /** An unmodifiable view in insertion order. */
  public Map<String, @Nullable Object> asMap() {
    return entries;
  }

  /** The value for {@code key}, or null when absent or when the value is the void value 'V'. */
  public @Nullable Object get(String key) {
    return entries.get(key);
  }

  public boolean containsKey(String key) {
    return entries.containsKey(key);
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** A long string value as a String (UTF-8); null when absent or of another type. */
  public @Nullable String getString(String key) {
    return switch (entries.get(key)) {
      case LongString s -> s.toString();
      case String s -> s;
      case null, default -> null;
    };
  }

  /** Any integral value (signed or unsigned, 8 to 64 bits) as a long; null otherwise. */
  public @Nullable Long getLong(String key) {
    return integral(entries.get(key));
  }

  /** A field value that is an integer (signed or unsigned, 8 to 64 bits) as a long; null otherwise. */
  public static @Nullable Long integral(@Nullable Object value) {
    return switch (value) {
      case Byte b -> (long) b;
      case Short s -> (long) s;
      case Integer i -> (long) i;
      case Long l -> l;
      case UnsignedByte b -> (long) b.value();
      case UnsignedShort s -> (long) s.value();
      case UnsignedInt i -> i.value();
      case null, default -> null;
    };
  }

  /** A boolean value; null when absent or of another type. */
  public @Nullable Boolean getBoolean(String key) {
    return entries.get(key) instanceof Boolean b ? b : null;
  }

  /** A nested table; null when absent or of another type. */
  public @Nullable FieldTable getTable(String key) {
    return entries.get(key) instanceof FieldTable t ? t : null;
  }

  /** An array value (unmodifiable); null when absent or of another type. */
  @SuppressWarnings("unchecked")
  public @Nullable List<@Nullable Object> getArray(String key) {
    return entries.get(key) instanceof List<?> l ? (List<@Nullable Object>) l : null;
  }

  /** A new table with {@code key} set to {@code value}: replaced in place, or appended. */
  public FieldTable with(String key, @Nullable Object value) {
    LinkedHashMap<String, @Nullable Object> copy = new LinkedHashMap<>(entries);
    copy.put(FieldValues.checkKey(key), FieldValues.normalize(value, 0));
    return new FieldTable(copy);
  }

  /** A new table without {@code key}; this table when the key is absent. */
  public FieldTable without(String key) {
    if (!entries.containsKey(key)) {
      return this;
    }
    LinkedHashMap<String, @Nullable Object> copy = new LinkedHashMap<>(entries);
    copy.remove(key);
    return wrap(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldTable other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
