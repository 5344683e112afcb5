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
  private final Map<Destination, Set<Binding>> byDestination = new HashMap<>();

  /** Adds to the source exchange and the index; false if it existed. */
  boolean add(Binding b) {
    if (!b.source().bind(b)) {
      return false;
    }
    byDestination.computeIfAbsent(b.destination(), k -> new LinkedHashSet<>()).add(b);
    return true;
  }

  /** Removes from the source exchange and the index; false if there was none. */
  boolean remove(Binding b) {
    if (!b.source().unbind(b)) {
      return false;
    }
    Set<Binding> s = byDestination.get(b.destination());
    if (s != null) {
      s.remove(b);
      if (s.isEmpty()) {
        byDestination.remove(b.destination());
      }
    }
    return true;
  }

  /** Removes and returns every binding to {@code d}. */
  List<Binding> removeAllTo(Destination d) {
    Set<Binding> s = byDestination.remove(d);
    if (s == null) {
      return List.of();
    }
    List<Binding> out = new ArrayList<>(s);
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
    byDestination.values().forEach(out::addAll);
    return out;
  }
}
