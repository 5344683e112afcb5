package io.warrenmq.broker.policy;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.broker.term.ErlangTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The definition keys a policy may set, with RabbitMQ 3.13.7's names, value checks and texts
 * (rabbit_policies validate_policy0: "-1 is not a valid message TTL"; rabbit_policy validation0:
 * "[{<<"foo">>,1}] are not recognised policy settings"), and the subset an operator policy may set.
 * WarrenMQ's own keys (retry back-off, deduplication) follow the same style. Keys RabbitMQ accepts
 * for features a single WarrenMQ node does not have (classic mirroring's ha-*, streams, quorum
 * placement) are accepted with RabbitMQ's checks and have no effect, so that RabbitMQ's
 * definitions import.
 */
public final class PolicyKeys {
  private enum Type {
    STRING,
    NON_NEGATIVE,
    POSITIVE,
    BOOLEAN,
    OVERFLOW,
    QUEUE_MODE,
    QUEUE_VERSION,
    DLX_STRATEGY,
    CACHE_PERSISTENCE,
    LEADER_LOCATOR,
    ANY
  }

  /** A key's type and the words of its error ("is not a valid " + what). */
  private record Key(Type type, String what) {}

  private static final Map<String, Key> KEYS = Map.ofEntries(
      Map.entry("alternate-exchange", new Key(Type.STRING, "alternate exchange name")),
      Map.entry("dead-letter-exchange", new Key(Type.STRING, "dead letter exchange name")),
      Map.entry("dead-letter-routing-key", new Key(Type.STRING, "dead letter routing key")),
      Map.entry("dead-letter-strategy", new Key(Type.DLX_STRATEGY, "dead letter strategy")),
      Map.entry("message-ttl", new Key(Type.NON_NEGATIVE, "message TTL")),
      Map.entry("expires", new Key(Type.POSITIVE, "queue expiry")),
      Map.entry("max-length", new Key(Type.NON_NEGATIVE, "maximum length")),
      Map.entry("max-length-bytes", new Key(Type.NON_NEGATIVE, "maximum length in bytes")),
      Map.entry("max-in-memory-length", new Key(Type.NON_NEGATIVE, "maximum memory in bytes")),
      Map.entry("max-in-memory-bytes", new Key(Type.NON_NEGATIVE, "maximum memory in bytes")),
      Map.entry("overflow", new Key(Type.OVERFLOW, "overflow value")),
      // RabbitMQ 3.13.7 (rabbit_policies, validate_policy0): a non-negative integer
      Map.entry("delivery-limit", new Key(Type.NON_NEGATIVE, "delivery limit")),
      Map.entry("consumer-timeout", new Key(Type.NON_NEGATIVE, "consumer timeout")),
      Map.entry("queue-mode", new Key(Type.QUEUE_MODE, "queue-mode value")),
      Map.entry("queue-version", new Key(Type.QUEUE_VERSION, "queue-version value")),
      Map.entry("single-active-consumer", new Key(Type.BOOLEAN, "single active consumer value")),
      Map.entry("retry-delay", new Key(Type.NON_NEGATIVE, "retry delay")),
      Map.entry("retry-multiplier", new Key(Type.POSITIVE, "retry multiplier")),
      Map.entry("retry-max-delay", new Key(Type.NON_NEGATIVE, "maximum retry delay")),
      Map.entry("message-deduplication", new Key(Type.BOOLEAN, "message deduplication value")),
      Map.entry("deduplication-cache-size", new Key(Type.POSITIVE, "deduplication cache size")),
      Map.entry("deduplication-cache-ttl", new Key(Type.POSITIVE, "deduplication cache TTL")),
      // the rabbitmq-message-deduplication plugin's own policy keys keep their x- prefix
      Map.entry("x-message-deduplication", new Key(Type.BOOLEAN, "message deduplication value")),
      Map.entry("x-cache-size", new Key(Type.POSITIVE, "deduplication cache size")),
      Map.entry("x-cache-ttl", new Key(Type.POSITIVE, "deduplication cache TTL")),
      Map.entry("x-cache-persistence", new Key(Type.CACHE_PERSISTENCE, "deduplication cache persistence")),
      // accepted for RabbitMQ's definitions, without effect on one node of classic queues
      Map.entry("max-age", new Key(Type.STRING, "max age")),
      Map.entry("queue-leader-locator", new Key(Type.LEADER_LOCATOR, "queue leader locator value")),
      Map.entry("initial-cluster-size", new Key(Type.NON_NEGATIVE, "cluster size")),
      Map.entry("target-group-size", new Key(Type.NON_NEGATIVE, "target group size")),
      Map.entry("stream-max-segment-size-bytes", new Key(Type.NON_NEGATIVE, "segment size")),
      Map.entry("stream-filter-size-bytes", new Key(Type.NON_NEGATIVE, "filter size")),
      Map.entry("ha-mode", new Key(Type.ANY, "ha-mode value")),
      Map.entry("ha-params", new Key(Type.ANY, "ha-params value")),
      Map.entry("ha-sync-mode", new Key(Type.ANY, "ha-sync-mode value")),
      Map.entry("ha-sync-batch-size", new Key(Type.POSITIVE, "ha-sync-batch-size value")),
      Map.entry("ha-promote-on-shutdown", new Key(Type.ANY, "ha-promote-on-shutdown value")),
      Map.entry("ha-promote-on-failure", new Key(Type.ANY, "ha-promote-on-failure value")));

  /** Keys an operator policy may set (RabbitMQ's operator_policy_validator list). */
  public static final Set<String> OPERATOR_KEYS = Set.of(
      "expires", "message-ttl", "max-length", "max-length-bytes", "max-in-memory-length",
      "max-in-memory-bytes", "delivery-limit", "queue-version", "overflow", "ha-mode", "ha-params",
      "ha-sync-mode", "target-group-size");

  private PolicyKeys() {}

  /** Every key a policy may set, sorted. */
  public static List<String> keys() {
    return KEYS.keySet().stream().sorted().toList();
  }

  /**
   * The error of a definition as rabbit_policy's validation words it, or null if it is valid:
   * "no policy provided" for an empty one, the first bad value's "... is not a valid ...", else
   * the keys no validator knows ("... are not recognised policy settings", operator policies
   * too).
   */
  static @Nullable String error(FieldTable definition, boolean operator) {
    if (definition.isEmpty()) {
      return "no policy provided";
    }
    TreeMap<String, @Nullable Object> sorted = new TreeMap<>(definition.asMap());
    List<ErlangTerm> unknown = new ArrayList<>();
    for (Map.Entry<String, @Nullable Object> e : sorted.entrySet()) {
      Key k = KEYS.get(e.getKey());
      if (k == null || (operator && !OPERATOR_KEYS.contains(e.getKey()))) {
        unknown.add(ErlangTerm.tuple(ErlangTerm.bin(e.getKey()), ErlangTerm.ofJson(e.getValue())));
      } else if (!valid(k.type(), e.getValue())) {
        return ErlangTerm.ofJson(e.getValue()).print() + " is not a valid " + k.what();
      }
    }
    return unknown.isEmpty() ? null : new ErlangTerm.ListOf(unknown).print() + " are not recognised policy settings";
  }

  private static boolean valid(Type t, @Nullable Object v) {
    return switch (t) {
      case ANY -> true;
      case STRING -> isString(v);
      case BOOLEAN -> v instanceof Boolean;
      case NON_NEGATIVE -> {
        Long n = integer(v);
        yield n != null && n >= 0;
      }
      case POSITIVE -> {
        Long n = integer(v);
        yield n != null && n > 0;
      }
      case QUEUE_VERSION -> {
        Long n = integer(v);
        yield n != null && (n == 1 || n == 2);
      }
      case OVERFLOW -> oneOf(v, "drop-head", "reject-publish", "reject-publish-dlx");
      case QUEUE_MODE -> oneOf(v, "default", "lazy");
      case DLX_STRATEGY -> oneOf(v, "at-most-once", "at-least-once");
      case CACHE_PERSISTENCE -> oneOf(v, "disk", "memory");
      case LEADER_LOCATOR -> oneOf(v, "client-local", "balanced", "random", "least-leaders");
    };
  }

  private static boolean isString(@Nullable Object v) {
    return v instanceof String || v instanceof LongString;
  }

  private static boolean oneOf(@Nullable Object v, String... allowed) {
    return isString(v) && List.of(allowed).contains(v.toString());
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
