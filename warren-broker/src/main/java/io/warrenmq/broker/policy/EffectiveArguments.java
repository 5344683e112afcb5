package io.warrenmq.broker.policy;

import io.warrenmq.amqp.types.FieldTable;
import org.jspecify.annotations.Nullable;

/**
 * An entity's settings after policies: RabbitMQ's rules, key by key.
 *
 * <ul>
 *   <li>policy vs operator policy: the lower number for message-ttl, expires, max-length,
 *       max-length-bytes and delivery-limit; the operator's value for overflow and for booleans
 *       (rabbit_policies merge_policy_value);
 *   <li>the result vs the entity's x-argument: the lower number for message-ttl, expires,
 *       max-length and max-length-bytes (rabbit_amqqueue_process process_args_policy: res_min),
 *       and for delivery-limit (RabbitMQ 3.13.7 rabbit_quorum_queue: args_policy_lookup with
 *       min); the argument for everything else (res_arg).
 * </ul>
 */
public final class EffectiveArguments {
  private final FieldTable arguments;
  private final @Nullable Policy policy;
  private final @Nullable Policy operatorPolicy;

  EffectiveArguments(FieldTable arguments, @Nullable Policy policy, @Nullable Policy operatorPolicy) {
    this.arguments = arguments;
    this.policy = policy;
    this.operatorPolicy = operatorPolicy;
  }

  /** The arguments alone, with no policy. */
  public static EffectiveArguments of(FieldTable arguments) {
    return new EffectiveArguments(arguments, null, null);
  }

  public @Nullable Policy policy() {
    return policy;
  }

  public @Nullable Policy operatorPolicy() {
    return operatorPolicy;
  }

  private static boolean minKey(String key) {
    return key.equals("message-ttl") || key.equals("expires") || key.equals("max-length")
        || key.equals("max-length-bytes") || key.equals("delivery-limit") || key.equals("max-in-memory-length")
        || key.equals("max-in-memory-bytes");
  }

  /** The merged policy value of {@code key} (policy and operator policy), or null. */
  private @Nullable Object policyValue(String key) {
    Object p = policy == null ? null : policy.definition().get(key);
    Object op = operatorPolicy == null ? null : operatorPolicy.definition().get(key);
    if (p == null) {
      return op;
    }
    if (op == null) {
      return p;
    }
    if (minKey(key)) {
      return Math.min(PolicyKeys.integer(p), PolicyKeys.integer(op));
    }
    return op;
  }

  /**
   * The policy and operator policy definitions merged key by key, as RabbitMQ's
   * rabbit_policy:effective_definition (the management API's effective_policy_definition): the
   * keys of both, a key both set taking the merged value. Empty when no policy applies.
   */
  public java.util.Map<String, @Nullable Object> effectiveDefinition() {
    java.util.Map<String, @Nullable Object> out = new java.util.TreeMap<>();
    if (policy != null) {
      policy.definition().asMap().keySet().forEach(k -> out.put(k, policyValue(k)));
    }
    if (operatorPolicy != null) {
      operatorPolicy.definition().asMap().keySet().forEach(k -> out.put(k, policyValue(k)));
    }
    return out;
  }

  /** The effective value of a setting: {@code x-<key>} argument and policy key combined. */
  public @Nullable Object get(String key) {
    Object arg = arguments.get("x-" + key);
    Object pol = policyValue(key);
    if (arg == null) {
      return pol;
    }
    if (pol != null && minKey(key)) {
      Long a = PolicyKeys.integer(arg);
      Long b = PolicyKeys.integer(pol);
      if (a != null && b != null) {
        return Math.min(a, b);
      }
    }
    return arg;
  }

  /** The effective integer value, or {@code absent} when unset or not an integer. */
  public long getLong(String key, long absent) {
    Long v = PolicyKeys.integer(get(key));
    return v == null ? absent : v;
  }

  public @Nullable String getString(String key) {
    Object v = get(key);
    return v == null ? null : v.toString();
  }

  public boolean getBoolean(String key) {
    return Boolean.TRUE.equals(get(key));
  }

  /**
   * An exchange's alternate exchange: its argument wins over the policy (rabbit_policy get_arg).
   */
  public @Nullable String alternateExchange() {
    Object arg = arguments.get("alternate-exchange");
    if (arg != null) {
      return arg.toString();
    }
    Object pol = policyValue("alternate-exchange");
    return pol == null ? null : pol.toString();
  }
}
