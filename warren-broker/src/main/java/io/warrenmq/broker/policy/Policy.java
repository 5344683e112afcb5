package io.warrenmq.broker.policy;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.broker.term.ErlangTerm;
import io.warrenmq.broker.term.ValidationError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * A policy or operator policy of one vhost. {@code pattern} is a regular expression found
 * anywhere in the entity's name (as RabbitMQ's re:run), so "^orders\." anchors explicitly. An
 * invalid one is refused with RabbitMQ's text (rabbit_runtime_parameters format_error over
 * rabbit_policy's validation): "Validation failed\n\n" and one line per error.
 *
 * @param operator true for an operator policy (set by operators, merged conservatively)
 * @param definition the keys it sets, with their values
 */
public record Policy(
    String vhost,
    String name,
    String pattern,
    ApplyTo applyTo,
    int priority,
    FieldTable definition,
    boolean operator) {

  /** RabbitMQ's text for an unknown apply-to (rabbit_policy apply_to_validation). */
  private static final String APPLY_TO_ERROR = "apply-to '%s' unrecognised; should be one of: 'queues', "
      + "'classic_queues',  'quorum_queues', 'streams', 'exchanges', or 'all'";

  public Policy {
    List<String> errors = new ArrayList<>();
    String d = PolicyKeys.error(definition, operator);
    if (d != null) {
      errors.add(d);
    }
    String p = patternError(pattern);
    if (p != null) {
      errors.add(p);
    }
    if (!errors.isEmpty()) {
      throw failed(errors);
    }
  }

  /**
   * A policy from the values of an API request or a definitions file, checked as
   * rabbit_policy:set checks them: a missing priority is 0 and a missing apply-to "all"; pattern
   * and definition are mandatory; every error is reported (definition, apply-to, pattern,
   * priority: the order RabbitMQ lists them in).
   */
  public static Policy parse(String vhost, String name, @Nullable Object pattern, @Nullable Object definition,
      @Nullable Object priority, @Nullable Object applyTo, boolean operator) {
    List<String> errors = new ArrayList<>();
    FieldTable def = null;
    if (definition == null) {
      errors.add("Key \"definition\" not found in " + name);
    } else if (definition instanceof Map<?, ?> m) {
      def = FieldTable.of(stringKeys(m));
      String e = PolicyKeys.error(def, operator);
      if (e != null) {
        errors.add(e);
      }
    } else {
      errors.add("definition must be a dictionary: " + ErlangTerm.ofJson(definition).print());
    }
    String applyToText = applyTo == null ? "all" : text(applyTo);
    ApplyTo at = ApplyTo.find(applyToText);
    if (at == null) {
      errors.add(String.format(APPLY_TO_ERROR, applyToText));
    }
    if (pattern == null) {
      errors.add("Key \"pattern\" not found in " + name);
    } else if (!(pattern instanceof String || pattern instanceof LongString)) {
      errors.add("pattern should be a binary but was " + ErlangTerm.ofJson(pattern).print());
    } else if (patternError(pattern.toString()) != null) {
      errors.add(patternError(pattern.toString()));
    }
    Object prio = priority == null ? 0L : priority;
    if (!(prio instanceof Number)) {
      errors.add("priority should be a number, actually was " + ErlangTerm.ofJson(prio).print());
    }
    if (!errors.isEmpty()) {
      throw failed(errors);
    }
    return new Policy(vhost, name, pattern.toString(), at, ((Number) prio).intValue(), def, operator);
  }

  private static Map<String, @Nullable Object> stringKeys(Map<?, ?> m) {
    Map<String, @Nullable Object> out = new java.util.LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static String text(Object v) {
    return v instanceof String || v instanceof LongString ? v.toString() : ErlangTerm.ofJson(v).print();
  }

  private static @Nullable String patternError(String pattern) {
    try {
      Pattern.compile(pattern);
      return null;
    } catch (PatternSyntaxException e) {
      return "pattern should be regular expression but is invalid: "
          + ErlangTerm.tuple(new ErlangTerm.Chars(e.getDescription()), new ErlangTerm.Int(Math.max(e.getIndex(), 0)))
              .print();
    }
  }

  private static ValidationError failed(List<String> errors) {
    return ValidationError.text("Validation failed\n\n" + String.join("\n", errors) + "\n");
  }

  /** Whether the policy applies to an entity of {@code kind} named {@code name} in its vhost. */
  public boolean matches(Kind kind, String name) {
    return applyTo.covers(kind) && Pattern.compile(pattern).matcher(name).find();
  }

  /** What a policy applies to (RabbitMQ's apply-to). */
  public enum ApplyTo {
    ALL("all"),
    QUEUES("queues"),
    CLASSIC_QUEUES("classic_queues"),
    QUORUM_QUEUES("quorum_queues"),
    STREAMS("streams"),
    EXCHANGES("exchanges");

    private final String label;

    ApplyTo(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    static @Nullable ApplyTo find(String s) {
      for (ApplyTo a : values()) {
        if (a.label.equals(s)) {
          return a;
        }
      }
      return null;
    }

    /** The apply-to named {@code s}, or an error with RabbitMQ's text. */
    public static ApplyTo parse(String s) {
      ApplyTo a = find(s);
      if (a == null) {
        throw new IllegalArgumentException(String.format(APPLY_TO_ERROR, s));
      }
      return a;
    }

    boolean covers(Kind kind) {
      return switch (this) {
        case ALL -> true;
        case QUEUES -> kind == Kind.QUEUE || kind == Kind.QUORUM_QUEUE;
        case CLASSIC_QUEUES -> kind == Kind.QUEUE;
        case QUORUM_QUEUES -> kind == Kind.QUORUM_QUEUE;
        case STREAMS -> false;
        case EXCHANGES -> kind == Kind.EXCHANGE;
      };
    }
  }

  /** The kinds of entity policies apply to: a classic queue, a quorum queue, an exchange. */
  public enum Kind {
    QUEUE,
    QUORUM_QUEUE,
    EXCHANGE;

    /** The kind of a queue of type {@code type} ({@code Queue.type()}). */
    public static Kind ofQueue(String type) {
      return "quorum".equals(type) ? QUORUM_QUEUE : QUEUE;
    }
  }
}
