package io.warrenmq.broker.vhost;

import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Destination;
import io.warrenmq.broker.exchange.Exchange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vhost's index of bindings by destination, so deleting a queue or exchange finds the
 * bindings pointing at it without scanning every exchange. Guarded by the vhost's lock.
 */
final class BindingIndex {
  // a destination's one binding, or a LinkedHashSet of its bindings when it has several: most
  // queues have one binding, and a set of one would cost ~200 bytes
  private final Map<Destination, Object> byDestination = new HashMap<>();

  /** Adds to the source exchange and the index; false if it existed. */
  boolean add(Binding b) {
    if (!b.source().bind(b)) {
      return false;
    }
    byDestination.merge(b.destination(), b, (old, one) -> {
      Set<Binding> s = asSet(old);
      s.add(b);
      return s;
    });
    return true;
  }

  /** Removes from the source exchange and the index; false if there was none. */
  boolean remove(Binding b) {
    if (!b.source().unbind(b)) {
      return false;
    }
    byDestination.computeIfPresent(b.destination(), (d, v) -> {
      if (!(v instanceof Set<?> s)) {
        return v.equals(b) ? null : v;
      }
      s.remove(b);
      return s.isEmpty() ? null : s;
    });
    return true;
  }

  /** Removes and returns every binding to {@code d}. */
  List<Binding> removeAllTo(Destination d) {
    Object v = byDestination.remove(d);
    if (v == null) {
      return List.of();
    }
    List<Binding> out = new ArrayList<>();
    addTo(out, v);
    for (Binding b : out) {
      b.source().unbind(b);
    }
    return out;
  }

  /** Removes and returns every binding whose source is {@code x}. */
  List<Binding> removeAllFrom(Exchange x) {
    List<Binding> out = new ArrayList<>(x.bindings());
    for (Binding b : out) {
      remove(b);
    }
    return out;
  }

  List<Binding> all() {
    List<Binding> out = new ArrayList<>();
    byDestination.values().forEach(v -> addTo(out, v));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Set<Binding> asSet(Object v) {
    if (v instanceof Set<?> s) {
      return (Set<Binding>) s;
    }
    Set<Binding> s = new LinkedHashSet<>();
    s.add((Binding) v);
    return s;
  }

  @SuppressWarnings("unchecked")
  private static void addTo(List<Binding> out, Object v) {
    if (v instanceof Set<?> s) {
      out.addAll((Set<Binding>) s);
    } else {
      out.add((Binding) v);
    }
  }
}
