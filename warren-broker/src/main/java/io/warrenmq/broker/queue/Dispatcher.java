package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.StoredRecords;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.store.segment.SegmentPosition;
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
 * <p>It also decides the queue's {@link QueueFlow}: behind when no consumer can take a message for
 * its connection and a backlog has built up, caught up once it has delivered it down.
 */
final class Dispatcher {
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
  private final QueueFlow flow;

  Dispatcher(ClassicQueue queue, QueueStore store, ByteBufAllocator alloc, ConsumerSet consumers, Expiry expiry,
      Disposal disposal, Supplier<QueueSettings> settings, QueueFlow flow) {
    this.flow = flow;
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

  private void run(long now, boolean appended) {
    if (dispatching) {
      return;
    }
    if (consumers.isEmpty()) {
      flow.caughtUp(); // nobody to fall behind: a backlog without consumers is not slowed
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
          if (!flow.behind() && store.readyCount() >= QueueFlow.BEHIND_HIGH && consumers.anyConnectionBehind()) {
            flow.fellBehind();
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
      if (flow.behind() && store.readyCount() <= QueueFlow.BEHIND_LOW) {
        flow.caughtUp();
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
