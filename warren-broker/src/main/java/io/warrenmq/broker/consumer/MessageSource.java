package io.warrenmq.broker.consumer;

import org.jspecify.annotations.Nullable;

/**
 * Where a delivered message came from and where its acknowledgement goes: a queue, seen from the
 * channel that holds the delivery. Implementations are thread-safe.
 */
public interface MessageSource {
  String name();

  /** The message at {@code position}, delivered to {@code consumer} (null for basic.get), is done. */
  void ack(@Nullable Consumer consumer, long position);

  /** Acks several; positions[0..count) were all delivered to the same consumer (or via get). */
  void ack(@Nullable Consumer consumer, long[] positions, int count);

  /** The deliveries go back to the queue at their original place (nack/reject with requeue, close). */
  void requeue(@Nullable Consumer consumer, long[] positions, int count);

  /**
   * The client asked for redelivery (basic.nack/reject with requeue): like {@link #requeue}, or
   * after the queue's retry back-off if it has one.
   */
  default void retry(@Nullable Consumer consumer, long[] positions, int count) {
    requeue(consumer, positions, count);
  }

  /** The deliveries are rejected without requeue: dead-lettered or dropped. */
  void reject(@Nullable Consumer consumer, long[] positions, int count);
}
