package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.StoredRecords;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.store.segment.SegmentPosition;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Hands a classic queue's ready messages to its consumers: by consumer priority and round-robin
 * within each consumer's prefetch credit, expiring the head and enforcing the delivery limit on the
 * way. A message just appended by an enqueue is delivered from the record at hand, not read back.
 *
 * <p>Threading: guarded by the owning queue's lock. Deliveries are handed to the consumers'
 * {@code DeliveryTarget}s, which only enqueue them.
 *
 * <p>Per-queue back-pressure (RabbitMQ's credit flow in spirit): when no consumer can take a message
 * because its connection cannot keep up (socket not writable, deliveries waiting to be written) and
 * {@link #BEHIND_HIGH} messages are ready, the queue is {@linkplain Queue#behind() behind}; publishers
 * to it stop reading their sockets until it has delivered down to {@link #BEHIND_LOW}, when the
 * waiters registered by {@link #awaitCaughtUp} are woken. Consumers waiting for acks (prefetch) and a
 * queue without consumers never make it behind: a backlog for them is what a queue is for.
 */
final class Dispatcher {
  /** Ready messages from which consumers that cannot keep up make the queue behind. */
  static final long BEHIND_HIGH = 65_536;
  /** Ready messages at which a queue that was behind has caught up: publishers go on. */
  static final long BEHIND_LOW = 16_384;

  private final ClassicQueue queue;
  private final QueueStore store;
  private final ByteBufAllocator alloc;
  private final ConsumerSet consumers;
  private final Expiry expiry;
  private final Disposal disposal;
  private final Supplier<QueueSettings> settings;
  private boolean dispatching;
  /** During an enqueue: the record just appended and its position, so its delivery needs no read. */
  private @Nullable ByteBuf fresh;
  private long freshPos = SegmentPosition.NONE;
  /** Written under the queue's lock, on change only; read by publishers on any thread. */
  private volatile boolean behind;
  /** Wake-ups of publishers paused by {@link #behind}; allocated when the queue first falls behind. */
  private volatile @Nullable ConcurrentLinkedQueue<Runnable> flowWaiters;

  Dispatcher(ClassicQueue queue, QueueStore store, ByteBufAllocator alloc, ConsumerSet consumers, Expiry expiry,
      Disposal disposal, Supplier<QueueSettings> settings) {
    this.queue = queue;
    this.store = store;
    this.alloc = alloc;
    this.consumers = consumers;
    this.expiry = expiry;
    this.disposal = disposal;
    this.settings = settings;
  }

  /** Hands ready messages to consumers with credit until one side runs out. */
  void dispatch(long now) {
    run(now, false);
  }

  /**
   * Right after an enqueue of {@code record} at {@code pos}: a message with TTL 0 may still go to
   * a waiting consumer (RabbitMQ delivers it if it can, else it expires).
   */
  void dispatchAppended(long now, ByteBuf record, long pos) {
    fresh = record;
    freshPos = pos;
    try {
      run(now, true);
    } finally {
      fresh = null;
    }
  }

  /** Whether publishers to the queue are to pause; any thread, a volatile read. */
  boolean behind() {
    return behind;
  }

  /**
   * Any thread: registers {@code wake} to run once the queue has caught up, if it is behind now
   * (true); false, registering nothing, if it is not. {@code wake} runs under the queue's lock and
   * must only hand work to another thread.
   */
  boolean awaitCaughtUp(Runnable wake) {
    ConcurrentLinkedQueue<Runnable> w = flowWaiters;
    if (!behind || w == null) {
      return false;
    }
    w.add(wake);
    // caught up meanwhile: either the catch-up took wake (it runs) or it is still ours to take back
    return behind || !w.remove(wake);
  }

  /** Under the lock: the queue lost its consumers, was purged or deleted; its publishers go on. */
  void caughtUp() {
    if (!behind) {
      return;
    }
    behind = false;
    ConcurrentLinkedQueue<Runnable> w = flowWaiters;
    Runnable r;
    while (w != null && (r = w.poll()) != null) {
      r.run();
    }
  }

  private void fellBehind() {
    if (flowWaiters == null) {
      flowWaiters = new ConcurrentLinkedQueue<>();
    }
    behind = true;
  }

  private void run(long now, boolean appended) {
    if (dispatching) {
      return;
    }
    if (consumers.isEmpty()) {
      caughtUp(); // nobody to fall behind: a backlog without consumers is not slowed
      return;
    }
    dispatching = true;
    try {
      while (store.readyCount() > 0) {
        if (expiry.mayExpire()) {
          disposal.expireHead(now, appended);
          if (store.readyCount() == 0) {
            return;
          }
        }
        Consumer c = consumers.next();
        if (c == null) {
          if (!behind && store.readyCount() >= BEHIND_HIGH && consumers.anyConnectionBehind()) {
            fellBehind();
          }
          return;
        }
        long pos = store.nextReady();
        if (pos == SegmentPosition.NONE) {
          c.refundCredit();
          return;
        }
        if (disposal.overDeliveryLimit(pos)) {
          c.refundCredit();
          disposal.discard(pos, "delivery_limit");
          continue;
        }
        c.target().deliver(c, take(c, pos, c.noAck()));
      }
    } finally {
      dispatching = false;
      if (behind && store.readyCount() <= BEHIND_LOW) {
        caughtUp();
      }
    }
  }

  /** Reads the record at {@code pos} (already taken with nextReady) into a delivery. */
  Delivery take(@Nullable Consumer c, long pos, boolean noAck) {
    // the message appended by the enqueue in progress is still at hand: no read back from the store
    ByteBuf f = fresh;
    MessageCounts counts = queue.countsLocked();
    ByteBuf record;
    if (f != null && pos == freshPos) {
      record = f.retainedDuplicate();
    } else {
      record = store.read(pos, alloc);
      counts.add(MessageCounts.DISK_READS);
    }
    int deliveries = store.deliveries(pos);
    // rabbit_channel record_sent: get or deliver, with or without ack; redeliver besides
    counts.add(c == null ? (noAck ? MessageCounts.GET_NO_ACK : MessageCounts.GET)
        : (noAck ? MessageCounts.DELIVER_NO_ACK : MessageCounts.DELIVER));
    if (deliveries > 1) {
      counts.add(MessageCounts.REDELIVER);
    }
    if (deliveries > 1 && settings.get().deliveryLimit() >= 0) {
      ByteBuf counted = StoredRecords.withDeliveryCount(record, deliveries - 1, alloc);
      record.release();
      record = counted;
    }
    if (noAck) {
      disposal.acked(pos);
    }
    return new Delivery(c, queue, pos, deliveries > 1, deliveries, noAck, record);
  }
}
