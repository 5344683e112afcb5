package io.warrenmq.broker.policy;

import io.warrenmq.amqp.types.FieldTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The policies and operator policies of every vhost. Thread-safe; changes bump {@link #version()}
 * so entities can tell that they must re-resolve their effective settings.
 */
public final class Policies {
  private final Map<String, Policy> byKey = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();

  private static String key(String vhost, String name, boolean operator) {
    return (operator ? "op\u0000" : "p\u0000") + vhost + "\u0000" + name;
  }

  /** Adds or replaces the policy of the same vhost, name and kind. */
  public void put(Policy p) {
    byKey.put(key(p.vhost(), p.name(), p.operator()), p);
    version.incrementAndGet();
  }

  /** Removes a policy; returns whether it existed. */
  public boolean remove(String vhost, String name, boolean operator) {
    boolean removed = byKey.remove(key(vhost, name, operator)) != null;
    if (removed) {
      version.incrementAndGet();
    }
    return removed;
  }

  /** Forgets every policy of a deleted vhost. */
  public void clearVhost(String vhost) {
    if (byKey.values().removeIf(p -> p.vhost().equals(vhost))) {
      version.incrementAndGet();
    }
  }

  public long version() {
    return version.get();
  }

  /** The policies (or operator policies) of {@code vhost}, by name. */
  public List<Policy> list(String vhost, boolean operator) {
    List<Policy> l = new ArrayList<>();
    for (Policy p : byKey.values()) {
      if (p.vhost().equals(vhost) && p.operator() == operator) {
        l.add(p);
      }
    }
    l.sort(Comparator.comparing(Policy::name));
    return l;
  }

  /** All policies of every vhost, for definitions. */
  public List<Policy> all() {
    List<Policy> l = new ArrayList<>(byKey.values());
    l.sort(Comparator.comparing(Policy::vhost).thenComparing(Policy::name));
    return l;
  }

  /**
   * The policy that applies to the entity: of those matching, the one of highest priority (ties
   * go to the name that sorts first, so the choice is stable).
   */
  public @Nullable Policy match(String vhost, Policy.Kind kind, String name, boolean operator) {
    Policy best = null;
    for (Policy p : byKey.values()) {
      if (p.operator() != operator || !p.vhost().equals(vhost) || !p.matches(kind, name)) {
        continue;
      }
      if (best == null || p.priority() > best.priority()
          || (p.priority() == best.priority() && p.name().compareTo(best.name()) < 0)) {
        best = p;
      }
    }
    return best;
  }

  /** The effective settings of an entity: its arguments combined with the matching policies. */
  public EffectiveArguments resolve(String vhost, Policy.Kind kind, String name, FieldTable arguments) {
    Policy p = match(vhost, kind, name, false);
    Policy op = match(vhost, kind, name, true);
    return new EffectiveArguments(arguments, p, op);
  }
}
