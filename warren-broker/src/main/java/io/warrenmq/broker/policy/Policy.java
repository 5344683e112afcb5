package io.warrenmq.broker.policy;

import io.warrenmq.amqp.types.FieldTable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A policy or operator policy of one vhost. {@code pattern} is a regular expression found
 * anywhere in the entity's name (as RabbitMQ's re:run), so "^orders\." anchors explicitly.
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

  public Policy {
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid policy pattern '" + pattern + "': " + e.getDescription(), e);
    }
    PolicyKeys.validate(definition, operator);
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

    public static ApplyTo parse(String s) {
      for (ApplyTo a : values()) {
        if (a.label.equals(s)) {
          return a;
        }
      }
      throw new IllegalArgumentException(
          "invalid apply-to '" + s + "': expected all, queues, classic_queues, quorum_queues, streams or exchanges");
    }

    boolean covers(Kind kind) {
      return switch (this) {
        case ALL -> true;
        case QUEUES, CLASSIC_QUEUES -> kind == Kind.QUEUE;
        case QUORUM_QUEUES, STREAMS -> false;
        case EXCHANGES -> kind == Kind.EXCHANGE;
      };
    }
  }

  /** The kinds of entity policies apply to. */
  public enum Kind {
    QUEUE,
    EXCHANGE
  }
}
