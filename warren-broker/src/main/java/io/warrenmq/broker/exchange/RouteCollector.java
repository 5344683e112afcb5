package io.warrenmq.broker.exchange;

import io.warrenmq.broker.queue.Queue;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The queues a message is routed to, each once, and the exchanges still to visit
 * (exchange-to-exchange bindings). One per publishing channel, reused between messages: not
 * thread-safe.
 */
public final class RouteCollector {
  private static final int LINEAR_LIMIT = 8;

  private final List<Queue> queues = new ArrayList<>();
  private final Map<Queue, Boolean> queueSet = new IdentityHashMap<>();
  private final List<Exchange> exchanges = new ArrayList<>();
  /** Exchanges visited for this message: few, so a list (clearing a hash map costs its table). */
  private final List<Exchange> seenExchanges = new ArrayList<>();
  private int offered;

  public void clear() {
    queues.clear();
    if (!queueSet.isEmpty()) {
      queueSet.clear();
    }
    exchanges.clear();
    seenExchanges.clear();
    offered = 0;
  }

  /** How many destinations were offered so far, duplicates included. */
  public int size() {
    return offered;
  }

  public void add(Destination d) {
    offered++;
    switch (d) {
      case Destination.ToQueue q -> {
        offered--;
        addQueue(q.queue());
      }
      case Destination.ToExchange x -> addExchange(x.exchange());
    }
  }

  public void addQueue(Queue q) {
    offered++;
    if (queues.size() < LINEAR_LIMIT && queueSet.isEmpty()) {
      for (Queue existing : queues) {
        if (existing == q) {
          return;
        }
      }
      queues.add(q);
      if (queues.size() == LINEAR_LIMIT) {
        queues.forEach(x -> queueSet.put(x, Boolean.TRUE));
      }
      return;
    }
    if (queueSet.put(q, Boolean.TRUE) == null) {
      queues.add(q);
    }
  }

  /** Adds an exchange to visit unless it was visited already for this message (breaks cycles). */
  public void addExchange(Exchange x) {
    if (visit(x)) {
      exchanges.add(x);
    }
  }

  /** Marks the exchange visited; returns false if it already was. */
  public boolean visit(Exchange x) {
    for (int i = 0; i < seenExchanges.size(); i++) {
      if (seenExchanges.get(i) == x) {
        return false;
      }
    }
    seenExchanges.add(x);
    return true;
  }

  /** The next exchange still to visit, or null. */
  public @Nullable Exchange pollExchange() {
    return exchanges.isEmpty() ? null : exchanges.removeLast();
  }

  public List<Queue> queues() {
    return queues;
  }

  public boolean isEmpty() {
    return queues.isEmpty();
  }
}
