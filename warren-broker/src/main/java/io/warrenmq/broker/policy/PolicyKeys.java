package io.warrenmq.broker.policy;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The definition keys a policy may set, with RabbitMQ's names and value checks, and the subset an
 * operator policy may set. WarrenMQ's own keys (retry back-off, deduplication) follow the same
 * naming style.
 */
public final class PolicyKeys {
  private enum Type {
    STRING,
    NON_NEGATIVE,
    POSITIVE,
    INTEGER,
    BOOLEAN,
    OVERFLOW,
    QUEUE_MODE,
    DLX_STRATEGY,
    CACHE_PERSISTENCE
  }

  private static final Map<String, Type> KEYS = Map.ofEntries(
      Map.entry("alternate-exchange", Type.STRING),
      Map.entry("dead-letter-exchange", Type.STRING),
      Map.entry("dead-letter-routing-key", Type.STRING),
      Map.entry("dead-letter-strategy", Type.DLX_STRATEGY),
      Map.entry("message-ttl", Type.NON_NEGATIVE),
      Map.entry("expires", Type.POSITIVE),
      Map.entry("max-length", Type.NON_NEGATIVE),
      Map.entry("max-length-bytes", Type.NON_NEGATIVE),
      Map.entry("max-in-memory-length", Type.NON_NEGATIVE),
      Map.entry("max-in-memory-bytes", Type.NON_NEGATIVE),
      Map.entry("overflow", Type.OVERFLOW),
      // RabbitMQ 3.13.7 (rabbit_policies, validate_policy0): a non-negative integer
      Map.entry("delivery-limit", Type.NON_NEGATIVE),
      Map.entry("consumer-timeout", Type.NON_NEGATIVE),
      Map.entry("queue-mode", Type.QUEUE_MODE),
      Map.entry("queue-version", Type.POSITIVE),
      Map.entry("single-active-consumer", Type.BOOLEAN),
      Map.entry("retry-delay", Type.NON_NEGATIVE),
      Map.entry("retry-multiplier", Type.POSITIVE),
      Map.entry("retry-max-delay", Type.NON_NEGATIVE),
      Map.entry("message-deduplication", Type.BOOLEAN),
      Map.entry("deduplication-cache-size", Type.POSITIVE),
      Map.entry("deduplication-cache-ttl", Type.POSITIVE),
      // the rabbitmq-message-deduplication plugin's own policy keys keep their x- prefix
      Map.entry("x-message-deduplication", Type.BOOLEAN),
      Map.entry("x-cache-size", Type.POSITIVE),
      Map.entry("x-cache-ttl", Type.POSITIVE),
      Map.entry("x-cache-persistence", Type.CACHE_PERSISTENCE));

  /** Keys an operator policy may set (RabbitMQ's operator_policy_validator list). */
  public static final Set<String> OPERATOR_KEYS = Set.of(
      "expires", "message-ttl", "max-length", "max-length-bytes", "max-in-memory-length",
      "max-in-memory-bytes", "delivery-limit", "queue-version", "overflow");

  private PolicyKeys() {}

  /** Every key a policy may set, sorted. */
  public static List<String> keys() {
    return KEYS.keySet().stream().sorted().toList();
  }

  /** Throws IllegalArgumentException naming the unknown keys or the bad value. */
  static void validate(FieldTable definition, boolean operator) {
    if (definition.isEmpty()) {
      throw new IllegalArgumentException("a policy definition must set at least one key");
    }
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, @Nullable Object> e : definition.asMap().entrySet()) {
      Type t = KEYS.get(e.getKey());
      if (t == null || (operator && !OPERATOR_KEYS.contains(e.getKey()))) {
        unknown.add(e.getKey());
        continue;
      }
      String err = check(t, e.getValue());
      if (err != null) {
        throw new IllegalArgumentException("invalid value for policy key '" + e.getKey() + "': " + err);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(unknown + (operator
          ? " are not recognised operator policy settings (allowed: " + OPERATOR_KEYS.stream().sorted().toList() + ")"
          : " are not recognised policy settings"));
    }
  }

  private static @Nullable String check(Type t, @Nullable Object v) {
    return switch (t) {
      case STRING -> isString(v) ? null : "expected a string, got " + v;
      case BOOLEAN -> v instanceof Boolean ? null : "expected true or false, got " + v;
      case INTEGER -> integer(v) != null ? null : "expected an integer, got " + v;
      case NON_NEGATIVE -> {
        Long n = integer(v);
        yield n != null && n >= 0 ? null : "expected a non-negative integer, got " + v;
      }
      case POSITIVE -> {
        Long n = integer(v);
        yield n != null && n > 0 ? null : "expected a positive integer, got " + v;
      }
      case OVERFLOW -> oneOf(v, "drop-head", "reject-publish", "reject-publish-dlx");
      case QUEUE_MODE -> oneOf(v, "default", "lazy");
      case DLX_STRATEGY -> oneOf(v, "at-most-once", "at-least-once");
      case CACHE_PERSISTENCE -> oneOf(v, "disk", "memory");
    };
  }

  private static boolean isString(@Nullable Object v) {
    return v instanceof String || v instanceof LongString;
  }

  private static @Nullable String oneOf(@Nullable Object v, String... allowed) {
    if (isString(v) && List.of(allowed).contains(v.toString())) {
      return null;
    }
    return "expected one of " + List.of(allowed) + ", got " + v;
  }

  /** The value as a long if it is an integer of any width, else null. */
  static @Nullable Long integer(@Nullable Object v) {
    return switch (v) {
      case Long l -> l;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Byte b -> (long) b;
      case io.warrenmq.amqp.types.UnsignedByte b -> (long) b.value();
      case io.warrenmq.amqp.types.UnsignedShort s -> (long) s.value();
      case io.warrenmq.amqp.types.UnsignedInt i -> i.value();
      case null, default -> null;
    };
  }
}
