package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.store.segment.SegmentPosition;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The consumers' side of a classic queue: consumers attach (exclusivity and single active consumer
 * are {@link ConsumerSet}'s rules) and are served at once, detach (the x-expires clock starts when
 * the last one goes, an auto-delete queue tells its caller to delete it, a single active consumer
 * hands over), and basic.get takes the next message without a consumer. The listings read the set.
 *
 * <p>Threading: each entry point takes the owning queue's lock; callers are channels on any event
 * loop and the management views. Buffers: the {@link Delivery} that {@link #get} returns is the
 * caller's, with the record it holds.
 */
final class QueueConsumers {
  private final ClassicQueue queue;
  private final QueueStore store;
  private final ConsumerSet consumers;
  private final QueueTimers timers;
  private final Disposal disposal;
  private final Dispatcher dispatcher;
  private final QueueFlow flow;

  QueueConsumers(ClassicQueue queue, QueueStore store, ConsumerSet consumers, QueueTimers timers, Disposal disposal,
      Dispatcher dispatcher, QueueFlow flow) {
    this.flow = flow;
    this.queue = queue;
    this.store = store;
    this.consumers = consumers;
    this.timers = timers;
    this.disposal = disposal;
    this.dispatcher = dispatcher;
  }

  /** See {@link Queue#get}. */
  @Nullable Delivery get(boolean noAck) {
    queue.lock().lock();
    try {
      if (queue.deleted) {
        return null;
      }
      timers.touch(queue.settings().expires());
      long now = System.currentTimeMillis();
      disposal.expireHead(now, false);
      while (true) {
        long pos = store.nextReady();
        if (pos == SegmentPosition.NONE) {
          queue.countsLocked().add(MessageCounts.GET_EMPTY);
          return null;
        }
        if (disposal.overDeliveryLimit(pos)) {
          disposal.discard(pos, "delivery_limit");
          continue;
        }
        return dispatcher.take(null, pos, noAck);
      }
    } finally {
      queue.unlockAndFlush();
    }
  }

  /** See {@link Queue#addConsumer}. */
  void add(Consumer consumer) {
    queue.lock().lock();
    try {
      if (queue.deleted) {
        throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s", queue.spec().resource());
      }
      consumers.add(consumer, queue.spec().resource());
      timers.cancelUnused();
      queue.dispatchLocked(System.currentTimeMillis());
    } finally {
      queue.unlockAndFlush();
    }
  }

  /** See {@link Queue#removeConsumer}. */
  boolean remove(Consumer consumer) {
    queue.lock().lock();
    try {
      consumer.deactivate();
      boolean removed = consumers.remove(consumer);
      if (removed && consumers.isEmpty()) {
        timers.touch(queue.settings().expires());
        flow.caughtUp(); // nobody left to fall behind: paused publishers go on
      }
      if (removed && queue.settings().singleActiveConsumer()) {
        queue.dispatchLocked(System.currentTimeMillis());
      }
      return removed && !queue.deleted && queue.spec().autoDelete() && consumers.isEmpty();
    } finally {
      queue.unlockAndFlush();
    }
  }

  /** See {@link ClassicQueue#peekMessages}. */
  List<ClassicQueue.Peeked> peek(int n, ByteBufAllocator alloc) {
    queue.lock().lock();
    try {
      List<ClassicQueue.Peeked> out = new ArrayList<>();
      if (!queue.deleted) {
        store.scanReady(n, (pos, payload) -> {
          ByteBuf copy = alloc.buffer(payload.readableBytes());
          copy.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
          out.add(new ClassicQueue.Peeked(copy, store.deliveries(pos)));
          return true;
        });
      }
      return out;
    } finally {
      queue.lock().unlock();
    }
  }

  List<Consumer> snapshot() {
    queue.lock().lock();
    try {
      return consumers.snapshot();
    } finally {
      queue.lock().unlock();
    }
  }

  boolean isActive(Consumer c) {
    queue.lock().lock();
    try {
      return consumers.isActive(c);
    } finally {
      queue.lock().unlock();
    }
  }

  /** A volatile count: listings of many queues take no queue lock. */
  int count() {
    return consumers.size();
  }
}
