package io.warrenmq.management.format;

import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.types.ByteArray;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.amqp.types.Timestamp;
import io.warrenmq.amqp.types.UnsignedByte;
import io.warrenmq.amqp.types.UnsignedInt;
import io.warrenmq.amqp.types.UnsignedShort;
import io.warrenmq.broker.vhost.NameOrder;
import io.warrenmq.management.http.ApiException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * AMQP values in the management API's JSON, both ways, as RabbitMQ converts them: a field table
 * becomes an object (rabbit_misc:amqp_table: strings that are not UTF-8 become "Not UTF-8, base64
 * is: ...", decimals numbers, void "undefined"); a JSON object becomes a table (rabbit_misc:
 * to_amqp_table: strings long strings, integers longs, other numbers doubles, objects tables,
 * arrays arrays, null refused with null_not_allowed), keys in byte order as an Erlang map folds
 * them; content properties both ways (rabbit_mgmt_format basic_properties / to_basic_properties).
 */
public final class AmqpJson {
  private AmqpJson() {}

  // ---------------------------------------------------------------- AMQP to JSON

  /** rabbit_misc:amqp_table: a table as a JSON object. */
  public static Map<String, Object> table(@Nullable FieldTable t) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (t != null) {
      t.asMap().forEach((k, v) -> out.put(k, value(v)));
    }
    return out;
  }

  /** rabbit_misc:amqp_value. */
  public static Object value(@Nullable Object v) {
    return switch (v) {
      case null -> "undefined";
      case LongString s -> utf8Safe(s.bytes());
      case ByteArray b -> utf8Safe(b.bytes());
      case FieldTable t -> table(t);
      case List<?> l -> {
        List<Object> out = new ArrayList<>(l.size());
        l.forEach(o -> out.add(value(o)));
        yield out;
      }
      case BigDecimal d -> d.doubleValue();
      case Timestamp t -> t.epochSeconds();
      case UnsignedByte b -> b.value();
      case UnsignedShort s -> s.value();
      case UnsignedInt i -> i.value();
      case Float f -> f.doubleValue();
      default -> v;
    };
  }

  /** rabbit_misc:utf8_safe: the text, or "Not UTF-8, base64 is: " and the base64 in 76-character lines. */
  public static String utf8Safe(byte[] b) {
    String text = utf8(b);
    if (text != null) {
      return text;
    }
    String enc = Base64.getEncoder().encodeToString(b);
    StringBuilder s = new StringBuilder("Not UTF-8, base64 is: ");
    for (int i = 0; i < enc.length(); i += 76) {
      if (i > 0) {
        s.append('\n');
      }
      s.append(enc, i, Math.min(enc.length(), i + 76));
    }
    return s.toString();
  }

  /** The bytes as text if they are valid UTF-8, else null. */
  public static @Nullable String utf8(byte[] b) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * rabbit_mgmt_format:basic_properties: the properties that are set, headers as an object. With
   * none set RabbitMQ answers an empty list, {@code []}, not an object.
   */
  public static Object properties(BasicProperties p) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "content_type", p.contentType());
    put(m, "content_encoding", p.contentEncoding());
    if (p.headers() != null) {
      m.put("headers", table(p.headers()));
    }
    put(m, "delivery_mode", p.deliveryMode());
    put(m, "priority", p.priority());
    put(m, "correlation_id", p.correlationId());
    put(m, "reply_to", p.replyTo());
    put(m, "expiration", p.expiration());
    put(m, "message_id", p.messageId());
    put(m, "timestamp", p.timestamp());
    put(m, "type", p.type());
    put(m, "user_id", p.userId());
    put(m, "app_id", p.appId());
    put(m, "cluster_id", p.clusterId());
    return m.isEmpty() ? List.of() : m;
  }

  private static void put(Map<String, Object> m, String k, @Nullable Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  // ---------------------------------------------------------------- JSON to AMQP

  /** rabbit_misc:to_amqp_table: a JSON object as a table (400 null_not_allowed for a null). */
  public static FieldTable toTable(@Nullable Object json) {
    if (json == null) {
      return FieldTable.EMPTY;
    }
    if (!(json instanceof Map<?, ?> m)) {
      // rabbit_misc:to_amqp_table keeps a list as it is; anything else is no table
      if (json instanceof List<?> l && l.isEmpty()) {
        return FieldTable.EMPTY;
      }
      throw ApiException.badRequest("arguments must be an object");
    }
    Map<String, Object> sorted = new TreeMap<>(NameOrder.INSTANCE);
    m.forEach((k, v) -> sorted.put(String.valueOf(k), toValue(v)));
    try {
      return FieldTable.of(sorted);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  /** rabbit_misc:type_val. */
  static Object toValue(@Nullable Object v) {
    return switch (v) {
      case null -> throw ApiException.badRequest("null_not_allowed");
      case Map<?, ?> m -> toTable(m);
      case List<?> l -> {
        List<Object> out = new ArrayList<>(l.size());
        l.forEach(o -> out.add(toValue(o)));
        yield out;
      }
      case String s -> LongString.of(s);
      case Boolean b -> b;
      case Integer i -> (long) i;
      case Long l -> l;
      case Short s -> (long) s;
      case BigInteger i -> {
        if (i.bitLength() > 63) {
          throw ApiException.badRequest("integer out of range: " + i);
        }
        yield i.longValue();
      }
      case Number n -> n.doubleValue();
      default -> throw ApiException.badRequest("unhandled_type");
    };
  }

  /**
   * rabbit_mgmt_format:to_basic_properties: the known keys of a JSON object as properties;
   * delivery_mode, priority and timestamp must be integers (400 {@code ["not_int", key]}), the
   * others strings ({@code ["not_string", key]}), headers an object.
   */
  public static BasicProperties toProperties(@Nullable Object json) {
    if (!(json instanceof Map<?, ?> m)) {
      return BasicProperties.EMPTY;
    }
    try {
      return new BasicProperties(
          string(m, "content_type"), string(m, "content_encoding"),
          m.get("headers") == null ? null : toTable(m.get("headers")),
          intOf(m, "delivery_mode"), intOf(m, "priority"), string(m, "correlation_id"), string(m, "reply_to"),
          string(m, "expiration"), string(m, "message_id"),
          m.get("timestamp") == null ? null : longOf(m, "timestamp"),
          string(m, "type"), string(m, "user_id"), string(m, "app_id"), string(m, "cluster_id"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static @Nullable String string(Map<?, ?> m, String k) {
    Object v = m.get(k);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw Reasons.pair("not_string", k);
    }
    return s;
  }

  private static @Nullable Integer intOf(Map<?, ?> m, String k) {
    Object v = m.get(k);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long || v instanceof BigInteger)) {
      throw Reasons.pair("not_int", k);
    }
    return ((Number) v).intValue();
  }

  private static long longOf(Map<?, ?> m, String k) {
    Object v = m.get(k);
    if (!(v instanceof Integer || v instanceof Long || v instanceof BigInteger)) {
      throw Reasons.pair("not_int", k);
    }
    return ((Number) v).longValue();
  }
}
