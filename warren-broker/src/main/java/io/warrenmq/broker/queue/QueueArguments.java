package io.warrenmq.broker.queue;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validation of queue.declare arguments and the equivalence check on redeclaration, with
 * RabbitMQ's rules and reply texts (rabbit_amqqueue declare_args, rabbit_misc
 * assert_args_equivalence). Unknown arguments are accepted and kept, as RabbitMQ does.
 */
public final class QueueArguments {
  /** Largest x-max-priority RabbitMQ accepts. */
  public static final int MAX_PRIORITY = 255;

  /** The arguments compared on redeclaration (RabbitMQ compares its declare_args only). */
  private static final List<String> EQUIVALENCE_KEYS =
      List.of(
          "x-expires",
          "x-message-ttl",
          "x-dead-letter-exchange",
          "x-dead-letter-routing-key",
          "x-max-length",
          "x-max-length-bytes",
          "x-max-priority",
          "x-overflow",
          "x-single-active-consumer",
          "x-queue-type",
          "x-delivery-limit");

  private static final Set<String> OVERFLOW = Set.of("drop-head", "reject-publish", "reject-publish-dlx");
  private static final Set<String> QUEUE_TYPES = Set.of("classic", "quorum");

  private QueueArguments() {}

  /** Checks one argument's value; null is a void field. Returns the error term, or null. */
  private interface Check {
    @Nullable String check(@Nullable Object value);
  }

  private static final Map<String, Check> VALIDATORS =
      Map.ofEntries(
          Map.entry("x-expires", v -> positive(v, "value_zero")),
          Map.entry("x-message-ttl", QueueArguments::ttl),
          Map.entry("x-dead-letter-exchange", QueueArguments::string),
          Map.entry("x-dead-letter-routing-key", QueueArguments::string),
          Map.entry("x-max-length", QueueArguments::nonNegative),
          Map.entry("x-max-length-bytes", QueueArguments::nonNegative),
          Map.entry("x-max-priority", QueueArguments::maxPriority),
          Map.entry("x-overflow", v -> oneOf(v, OVERFLOW)),
          Map.entry("x-single-active-consumer", QueueArguments::bool),
          Map.entry("x-consumer-timeout", QueueArguments::nonNegative),
          // RabbitMQ 3.13.7 checks no value of x-delivery-limit (it is not among rabbit_amqqueue's
          // declare_args): a negative limit is taken, and rabbit_fifo dead-letters at the first
          // return (QueueSettings); we still refuse a value that is no integer
          Map.entry("x-delivery-limit", v -> ArgumentTypes.isInteger(v) ? null : notAnInteger(v)),
          Map.entry("x-queue-type", v -> oneOf(v, QUEUE_TYPES)),
          Map.entry("x-queue-mode", v -> oneOf(v, Set.of("default", "lazy"))),
          Map.entry("x-queue-version", v -> ArgumentTypes.isInteger(v) ? null : notAnInteger(v)),
          // WarrenMQ's retry back-off, checked in RabbitMQ's style
          Map.entry("x-retry-delay", QueueArguments::nonNegative),
          Map.entry("x-retry-multiplier", v -> positive(v, "value_zero")),
          Map.entry("x-retry-max-delay", QueueArguments::nonNegative));

  /**
   * Checks every known argument; throws a channel-level 406 PRECONDITION_FAILED such as "invalid
   * arg 'x-message-ttl' for queue 'q' in vhost '/': {value_negative,-1}".
   */
  public static void validate(QueueSpec spec) {
    FieldTable args = spec.arguments();
    for (Map.Entry<String, @Nullable Object> e : args.asMap().entrySet()) {
      Check check = VALIDATORS.get(e.getKey());
      if (check == null) {
        continue;
      }
      Object value = e.getValue();
      String error = check.check(value);
      if (error != null) {
        throw AmqpException.channelError(
            ReplyCode.PRECONDITION_FAILED,
            "invalid arg '%s' for %s: %s",
            e.getKey(),
            spec.resource(),
            error);
      }
    }
    if (args.containsKey("x-dead-letter-routing-key") && !args.containsKey("x-dead-letter-exchange")) {
      throw AmqpException.channelError(
          ReplyCode.PRECONDITION_FAILED,
          "invalid arg 'x-dead-letter-routing-key' for %s: routing_key_but_no_dlx_defined",
          spec.resource());
    }
  }

  /**
   * Redeclaring an existing queue must match it: durable, auto-delete and the compared
   * arguments. Throws 406 "inequivalent arg 'durable' for queue 'q' in vhost '/': received 'true'
   * but current is 'false'".
   */
  public static void assertEquivalent(QueueSpec existing, QueueSpec declared) {
    field(existing, "durable", existing.durable(), declared.durable());
    field(existing, "auto_delete", existing.autoDelete(), declared.autoDelete());
    for (String key : EQUIVALENCE_KEYS) {
      Object current = existing.arguments().get(key);
      Object received = declared.arguments().get(key);
      if (key.equals("x-queue-type") && isClassicOrAbsent(current) && isClassicOrAbsent(received)) {
        continue;
      }
      if (!ArgumentTypes.equivalent(current, received)) {
        throw ArgumentTypes.inequivalent(key, existing.resource(), current, received);
      }
    }
  }

  private static boolean isClassicOrAbsent(@Nullable Object v) {
    return v == null || v.toString().equals("classic");
  }

  private static void field(QueueSpec q, String name, boolean current, boolean received) {
    if (current != received) {
      throw AmqpException.channelError(
          ReplyCode.PRECONDITION_FAILED,
          "inequivalent arg '%s' for %s: received '%s' but current is '%s'",
          name,
          q.resource(),
          received,
          current);
    }
  }

  /**
   * RabbitMQ's check_int_arg error for a value of another type: a formatted string, which its
   * "~255p" prints in double quotes: {@code "expected integer, got longstr"}.
   */
  private static String notAnInteger(@Nullable Object v) {
    return "\"expected integer, got " + ArgumentTypes.typeName(v) + "\"";
  }

  private static @Nullable String ttl(@Nullable Object v) {
    if (!ArgumentTypes.isInteger(v)) {
      return notAnInteger(v);
    }
    long n = ArgumentTypes.longValue(v);
    if (n < 0) {
      return "{value_negative," + n + "}";
    }
    // rabbit_misc:check_expiry: at most ten years of milliseconds
    if (n > 315_360_000_000L) {
      return "{value_too_large," + n + "}";
    }
    return null;
  }

  private static @Nullable String positive(@Nullable Object v, String zeroError) {
    String err = ttl(v);
    if (err != null) {
      return err;
    }
    return ArgumentTypes.longValue(v) == 0 ? "{" + zeroError + ",0}" : null;
  }

  private static @Nullable String nonNegative(@Nullable Object v) {
    if (!ArgumentTypes.isInteger(v)) {
      return notAnInteger(v);
    }
    long n = ArgumentTypes.longValue(v);
    return n < 0 ? "{value_negative," + n + "}" : null;
  }

  private static @Nullable String maxPriority(@Nullable Object v) {
    String err = nonNegative(v);
    if (err != null) {
      return err;
    }
    long n = ArgumentTypes.longValue(v);
    return n > MAX_PRIORITY ? "{max_value_exceeded," + n + "}" : null;
  }

  private static @Nullable String string(@Nullable Object v) {
    return v instanceof LongString || v instanceof String
        ? null
        : "{unacceptable_type," + ArgumentTypes.typeName(v) + "}";
  }

  private static @Nullable String bool(@Nullable Object v) {
    return v instanceof Boolean ? null : "{unacceptable_type," + ArgumentTypes.typeName(v) + "}";
  }

  private static @Nullable String oneOf(@Nullable Object v, Set<String> allowed) {
    String s = string(v);
    if (s != null) {
      return s;
    }
    return allowed.contains(String.valueOf(v)) ? null : "{unsupported_value,\"" + v + "\"}";
  }
}
