package io.warrenmq.broker.queue;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.consumer.Consumer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The consumers of one queue and the choice of the next one to deliver to: consumers of higher
 * priority (x-priority) first, round-robin among equals, skipping those without credit (RabbitMQ
 * consumer priorities); with single active consumer only the active one, the next in line taking
 * over when it leaves; exclusive consumers (basic.consume exclusive) shut everyone else out.
 *
 * <p>Round-robin as RabbitMQ's rabbit_queue_consumers does it: the consumers of one priority form
 * a queue, the one served goes to its back and a new one joins at its back.
 *
 * <p>Threading: guarded by the owning queue's lock.
 */
final class ConsumerSet {
  /** Sorted by priority, highest first; within a priority the next to serve first. */
  private final List<Consumer> consumers = new ArrayList<>();
  private final boolean singleActive;
  /** The single active consumer; it keeps the place until it leaves (RabbitMQ classic queues). */
  private @Nullable Consumer active;
  /** How many consumers acknowledge (not no-ack). */
  private int ackMode;
  /** How many consumers there are, readable without the queue's lock (listings). */
  private volatile int count;

  ConsumerSet(boolean singleActive) {
    this.singleActive = singleActive;
  }

  boolean isEmpty() {
    return consumers.isEmpty();
  }

  /** The number of consumers; any thread may read it (it is written under the queue's lock). */
  int size() {
    return count;
  }

  /** Whether there are consumers and every one of them is no-ack. */
  boolean allNoAck() {
    return ackMode == 0 && !consumers.isEmpty();
  }

  List<Consumer> snapshot() {
    return List.copyOf(consumers);
  }

  /**
   * Adds a consumer; 403 if an exclusive consumer is there or this one wants exclusivity, which a
   * single-active-consumer queue never grants (rabbit_amqqueue_process, basic_consume).
   */
  void add(Consumer c, String resource) {
    boolean exclusiveInUse = consumers.stream().anyMatch(Consumer::exclusive);
    if (exclusiveInUse || (c.exclusive() && (singleActive || !consumers.isEmpty()))) {
      throw AmqpException.channelError(ReplyCode.ACCESS_REFUSED, "%s in exclusive use", resource);
    }
    int i = 0;
    while (i < consumers.size() && consumers.get(i).priority() >= c.priority()) {
      i++;
    }
    consumers.add(i, c);
    count = consumers.size();
    if (!c.noAck()) {
      ackMode++;
    }
    if (singleActive && active == null) {
      active = c;
    }
  }

  /**
   * Removes a consumer; if it was the single active one, the next is the first by priority and
   * age (a consumer of higher priority that joined later does not take over before that).
   */
  boolean remove(Consumer c) {
    boolean removed = consumers.remove(c);
    count = consumers.size();
    if (removed && !c.noAck()) {
      ackMode--;
    }
    if (c == active) {
      active = consumers.isEmpty() ? null : consumers.getFirst();
    }
    return removed;
  }

  /** The active consumer of a single-active-consumer queue. */
  @Nullable Consumer active() {
    return active;
  }

  /** Whether {@code c} receives messages now (false for the waiting ones of an SAC queue). */
  boolean isActive(Consumer c) {
    return !singleActive || active() == c;
  }

  /**
   * The consumer to receive the next message, its credit already taken; null if none can take one.
   * The first with credit, priorities from the highest; it moves to the back of its priority.
   */
  @Nullable Consumer next() {
    int n = consumers.size();
    if (n == 0) {
      return null;
    }
    if (singleActive) {
      Consumer a = active;
      return a != null && a.tryTakeCredit() ? a : null;
    }
    for (int i = 0; i < n; i++) {
      Consumer c = consumers.get(i);
      if (c.tryTakeCredit()) {
        int last = i;
        while (last + 1 < n && consumers.get(last + 1).priority() == c.priority()) {
          last++;
        }
        if (last > i) {
          consumers.remove(i);
          consumers.add(last, c);
        }
        return c;
      }
    }
    return null;
  }

  /**
   * Whether a consumer that could take messages by its prefetch is held back by its connection
   * (socket not writable, deliveries waiting to be written, channel.flow off): the consumers are
   * falling behind rather than waiting for acks. Under the queue lock; asked only when no consumer
   * could take a message and a backlog has built up.
   */
  boolean anyConnectionBehind() {
    for (Consumer c : consumers) {
      if (c.active() && !c.target().ready()) {
        return true;
      }
    }
    return false;
  }

  void clear() {
    consumers.clear();
    count = 0;
    ackMode = 0;
    active = null;
  }
}
