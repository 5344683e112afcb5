package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.message.MessageCodec;
import io.warrenmq.store.queue.MessageStore;
import io.warrenmq.store.segment.SegmentPosition;
import io.warrenmq.store.sync.Syncable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A classic queue on a disk-first {@link MessageStore}: every message is appended to the queue's
 * segment files, consumers are served round-robin within their prefetch credit.
 *
 * <p>Threading: all state is guarded by {@link #lock}; publishers (any event loop), consumers'
 * channels (acks) and the vhost (declare, delete) call in concurrently and each critical section
 * is short: an append or a read of one record, never an fsync. Deliveries are handed to the
 * consumer's {@code DeliveryTarget} under the lock; targets only enqueue them.
 */
public final class ClassicQueue implements Queue {
  private static final Logger log = LoggerFactory.getLogger(ClassicQueue.class);

  private final QueueSpec spec;
  private final MessageStore store;
  private final ByteBufAllocator alloc;
  private final @Nullable Object owner;
  private final Executor disposer;
  private final ReentrantLock lock = new ReentrantLock();

  // guarded by lock
  private final List<Consumer> consumers = new ArrayList<>();
  private int roundRobin;
  private boolean deleted;
  private boolean failed;
  private boolean dispatching;

  /**
   * @param store the queue's store, owned from now on
   * @param owner the owning connection of an exclusive queue, else null
   * @param disposer where the files of a deleted queue are removed (a thread that may block)
   */
  public ClassicQueue(
      QueueSpec spec, MessageStore store, ByteBufAllocator alloc, @Nullable Object owner, Executor disposer) {
    this.spec = spec;
    this.store = store;
    this.alloc = alloc;
    this.owner = owner;
    this.disposer = disposer;
  }

  @Override
  public QueueSpec spec() {
    return spec;
  }

  @Override
  public @Nullable Object exclusiveOwner() {
    return owner;
  }

  @Override
  public Syncable syncTarget() {
    return store;
  }

  @Override
  public EnqueueResult enqueue(Message message) {
    boolean persistent = spec.durable() && message.persistent();
    ByteBuf payload = MessageCodec.encode(alloc, message, 0L);
    lock.lock();
    try {
      if (deleted) {
        return EnqueueResult.DROPPED;
      }
      if (failed) {
        return EnqueueResult.REJECTED;
      }
      try {
        store.append(payload, persistent, message.bodySize());
      } catch (IOException e) {
        fail(e);
        return EnqueueResult.REJECTED;
      }
      dispatchLocked();
      return persistent ? EnqueueResult.STORED_DURABLE : EnqueueResult.STORED;
    } finally {
      lock.unlock();
      payload.release();
    }
  }

  @Override
  public @Nullable Delivery get(boolean noAck) {
    lock.lock();
    try {
      if (deleted || store.readyCount() == 0) {
        return null;
      }
      long pos = store.nextReady();
      if (pos == SegmentPosition.NONE) {
        return null;
      }
      return take(null, pos, noAck);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void addConsumer(Consumer consumer) {
    lock.lock();
    try {
      if (deleted) {
        throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s", spec.resource());
      }
      boolean exclusiveInUse = consumers.stream().anyMatch(Consumer::exclusive);
      if (exclusiveInUse || (consumer.exclusive() && !consumers.isEmpty())) {
        throw AmqpException.channelError(
            ReplyCode.ACCESS_REFUSED, "%s in exclusive use", spec.resource());
      }
      consumers.add(consumer);
      dispatchLocked();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean removeConsumer(Consumer consumer) {
    lock.lock();
    try {
      consumer.deactivate();
      boolean removed = consumers.remove(consumer);
      return removed && !deleted && spec.autoDelete() && consumers.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Consumer> consumers() {
    lock.lock();
    try {
      return List.copyOf(consumers);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void dispatch() {
    lock.lock();
    try {
      dispatchLocked();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void ack(@Nullable Consumer consumer, long position) {
    lock.lock();
    try {
      if (deleted) {
        return;
      }
      storeAck(position);
      if (consumer != null) {
        consumer.settled(1);
      }
      dispatchLocked();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void ack(@Nullable Consumer consumer, long[] positions, int count) {
    lock.lock();
    try {
      if (deleted) {
        return;
      }
      for (int i = 0; i < count; i++) {
        storeAck(positions[i]);
      }
      if (consumer != null) {
        consumer.settled(count);
      }
      dispatchLocked();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void requeue(@Nullable Consumer consumer, long[] positions, int count) {
    lock.lock();
    try {
      if (deleted) {
        return;
      }
      for (int i = 0; i < count; i++) {
        store.requeue(positions[i]);
      }
      if (consumer != null) {
        consumer.settled(count);
      }
      dispatchLocked();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void reject(@Nullable Consumer consumer, long[] positions, int count) {
    // Without a dead-letter exchange a rejected message is dropped (AMQP basic.reject).
    ack(consumer, positions, count);
  }

  @Override
  public long messageCount() {
    return store.readyCount();
  }

  @Override
  public long unackedCount() {
    return store.unackedCount();
  }

  @Override
  public int consumerCount() {
    lock.lock();
    try {
      return consumers.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long purge() {
    lock.lock();
    try {
      if (deleted) {
        return 0;
      }
      try {
        return store.purge();
      } catch (UncheckedIOException e) {
        fail(e.getCause());
        return 0;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void delete() {
    List<Consumer> cancelled;
    lock.lock();
    try {
      if (deleted) {
        return;
      }
      deleted = true;
      cancelled = List.copyOf(consumers);
      consumers.clear();
      cancelled.forEach(Consumer::deactivate);
    } finally {
      lock.unlock();
    }
    for (Consumer c : cancelled) {
      c.target().cancelledByBroker(c);
    }
    // the queue is gone for everyone now; its files go on a thread that may block
    disposer.execute(() -> {
      try {
        store.deleteAll();
      } catch (IOException e) {
        log.error("could not remove the files of {} in {}", spec.resource(), store.directory(), e);
      }
    });
  }

  @Override
  public boolean isDeleted() {
    lock.lock();
    try {
      return deleted;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      deleted = true;
      consumers.clear();
      try {
        store.force();
      } catch (IOException e) {
        log.error("could not force the store of {} at shutdown", spec.resource(), e);
      }
      store.close();
    } finally {
      lock.unlock();
    }
  }

  /** Hands ready messages to consumers with credit, round-robin, until one side runs out. */
  private void dispatchLocked() {
    if (dispatching || consumers.isEmpty() || deleted) {
      return;
    }
    dispatching = true;
    try {
      while (store.readyCount() > 0) {
        Consumer c = nextConsumerWithCredit();
        if (c == null) {
          return;
        }
        long pos = store.nextReady();
        if (pos == SegmentPosition.NONE) {
          c.settled(c.noAck() ? 0 : 1);
          if (!c.noAck()) {
            c.channelCredit().release(1);
          }
          return;
        }
        Delivery d = take(c, pos, c.noAck());
        c.target().deliver(c, d);
      }
    } finally {
      dispatching = false;
    }
  }

  private @Nullable Consumer nextConsumerWithCredit() {
    int n = consumers.size();
    for (int i = 0; i < n; i++) {
      int idx = (roundRobin + i) % n;
      Consumer c = consumers.get(idx);
      if (c.tryTakeCredit()) {
        roundRobin = (idx + 1) % n;
        return c;
      }
    }
    return null;
  }

  /** Reads the record at {@code pos} (already taken with nextReady) into a delivery. */
  private Delivery take(@Nullable Consumer c, long pos, boolean noAck) {
    ByteBuf record = store.read(pos, alloc);
    int deliveries = store.deliveries(pos);
    if (noAck) {
      storeAck(pos);
    }
    return new Delivery(c, this, pos, deliveries > 1, deliveries, noAck, record);
  }

  /** Acks in the store; deleting a drained segment may fail, which fails the store. */
  private void storeAck(long pos) {
    try {
      store.ack(pos);
    } catch (UncheckedIOException e) {
      fail(e.getCause());
    }
  }

  private void fail(IOException e) {
    failed = true;
    log.error("the store of {} failed; its publishers are refused from now on", spec.resource(), e);
  }

  /** For tests and recovery logs. */
  public MessageStore store() {
    return store;
  }
}
