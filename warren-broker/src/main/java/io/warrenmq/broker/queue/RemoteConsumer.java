package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * One consumer of this node on a {@link RemoteQueue}'s home node: the deliveries that came over the
 * link and wait for the channel's credit, and how many are out to the channel unsettled.
 *
 * <p>Threading: guarded by the queue's monitor, under which {@link Consumer} credit is taken and
 * settled; {@link #deliver} and {@link #ended} come from the link's thread.
 */
final class RemoteConsumer implements QueueLink.Sink {
  final RemoteQueue queue;
  final Consumer consumer;
  QueueLink.@Nullable Subscription subscription;
  final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
  int outstanding;
  boolean cancelled;
  boolean ended;

  RemoteConsumer(RemoteQueue queue, Consumer consumer) {
    this.queue = queue;
    this.consumer = consumer;
  }

  @Override
  public void deliver(long position, boolean redelivered, int deliveryCount, ByteBuf record) {
    synchronized (queue) {
      if (ended || cancelled) {
        record.release();
        if (cancelled && subscription != null) {
          subscription.settle(QueueLink.Settlement.REQUEUE, new long[] {position}, 1);
        }
        return;
      }
      waiting.add(new Delivery(consumer, queue, position, redelivered, deliveryCount,
          consumer.noAck(), record));
      drain();
    }
  }

  /** Under the lock: hands waiting deliveries to the channel while its credit allows. */
  void drain() {
    while (!waiting.isEmpty() && !cancelled && consumer.tryTakeCredit()) {
      Delivery d = waiting.poll();
      if (consumer.noAck()) {
        if (subscription != null) {
          subscription.settle(QueueLink.Settlement.ACK, new long[] {d.position()}, 1);
        }
      } else {
        outstanding++;
      }
      consumer.target().deliver(consumer, d);
    }
  }

  /** Under the lock: deliveries that never reached the channel go back to the home queue. */
  void returnWaiting() {
    if (waiting.isEmpty()) {
      return;
    }
    long[] positions = new long[waiting.size()];
    int n = 0;
    for (Delivery d; (d = waiting.poll()) != null; ) {
      positions[n++] = d.position();
      d.release();
    }
    if (subscription != null && !ended) {
      subscription.settle(QueueLink.Settlement.REQUEUE, positions, n);
    }
  }

  /** Under the lock: a cancelled consumer with nothing out is forgotten. */
  void forgetIfSettled() {
    if (cancelled && outstanding <= 0) {
      queue.forget(consumer);
    }
  }

  @Override
  public void ended(String reason) {
    boolean moveOn = false;
    synchronized (queue) {
      if (ended) {
        return;
      }
      ended = true;
      for (Delivery d; (d = waiting.poll()) != null; ) {
        d.release();
      }
      queue.forget(consumer);
      if (!cancelled) {
        if (queue.rehome != null) {
          consumer.settled(outstanding); // void here: their settlements go where the queue is now
          outstanding = 0;
          moveOn = true;
        } else {
          consumer.deactivate();
          consumer.target().cancelledByBroker(consumer);
        }
      }
    }
    if (moveOn) {
      queue.rehome.consumerEnded(consumer);
    }
  }
}
