package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.message.MessageCodec;
import io.warrenmq.broker.stats.MessageCounts;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * How a message enters a classic queue: its deadline and deduplication id are worked out before
 * the lock; under it the queue refuses it (deleted, failed store, duplicate, overflow under
 * reject-publish), or hands a transient message straight to a no-ack consumer, or appends its
 * record to the store, indexes it (deduplication, expiry) and delivers the record at hand to a
 * waiting consumer, then trims the head under drop-head.
 *
 * <p>Threading: {@link #enqueue} is called by publishers on any event loop; it takes the owning
 * queue's lock for an append and a delivery, never an fsync, and leaves through {@link
 * ClassicQueue#unlockAndFlush()}. Buffers: the message is borrowed; the record encoded from it is
 * owned here and released before {@code enqueue} returns (the store and the delivery copy or
 * retain what they keep).
 */
final class QueueIntake {
  private final ClassicQueue queue;
  private final ReentrantLock lock;
  private final boolean durable;
  private final QueueStore store;
  private final ByteBufAllocator alloc;
  private final ConsumerSet consumers;
  private final QueueTimers timers;
  private final Expiry expiry;
  private final Deduplication dedup;
  private final Disposal disposal;
  private final Dispatcher dispatcher;

  QueueIntake(ClassicQueue queue, QueueStore store, ByteBufAllocator alloc, ConsumerSet consumers,
      QueueTimers timers, Expiry expiry, Deduplication dedup, Disposal disposal, Dispatcher dispatcher) {
    this.queue = queue;
    this.lock = queue.lock();
    this.durable = queue.spec().durable();
    this.store = store;
    this.alloc = alloc;
    this.consumers = consumers;
    this.timers = timers;
    this.expiry = expiry;
    this.dedup = dedup;
    this.disposal = disposal;
    this.dispatcher = dispatcher;
  }

  /** See {@link Queue#enqueue}; {@code published} counts it as a publish (see {@link Queue#publish}). */
  EnqueueResult enqueue(Message message, boolean published) {
    QueueSettings s = queue.settings();
    long now = System.currentTimeMillis();
    long perMessage = Expiry.perMessageDeadline(message, now);
    long expiresAt = Expiry.deadline(now, s.messageTtl(), perMessage);
    boolean persistent = durable && message.persistent();
    String dedupId = s.deduplication() ? Deduplication.idOf(message) : null;
    boolean unstorable = !persistent && expiresAt == 0 && dedupId == null;
    ByteBuf payload = null;
    lock.lock();
    try {
      // limits as they are now: a policy applied while this publish waited for the lock trimmed the queue
      s = queue.settings();
      MessageCounts counts = queue.countsLocked();
      if (published) {
        // rabbit_channel deliver_to_queues counts every queue routed to, whatever it does with the message
        counts.add(MessageCounts.PUBLISH);
      }
      EnqueueResult refused = refusal(message, s, expiresAt, dedupId);
      if (refused != null) {
        return refused;
      }
      int priority = Math.max(0, message.summary().priority());
      if (unstorable && store.readyCount() == 0 && consumers.allNoAck()) {
        // Nothing waits and every consumer is no-ack: a transient message goes straight to a
        // consumer without touching the store, as RabbitMQ does (it would be forgotten on
        // delivery anyway); the consumer's channel encodes it at once.
        Consumer c = consumers.next();
        if (c != null && c.target().deliverUnstored(c, message)) {
          counts.add(MessageCounts.DELIVER_NO_ACK);
          return EnqueueResult.STORED;
        }
      }
      payload = MessageCodec.encode(alloc, message, expiresAt);
      long pos;
      boolean emptyBefore = store.readyCount() == 0;
      try {
        pos = store.append(payload, persistent, message.bodySize(), priority);
        counts.add(MessageCounts.DISK_WRITES);
      } catch (IOException | RuntimeException e) {
        queue.fail(e);
        return EnqueueResult.REJECTED;
      }
      if (dedupId != null) {
        dedup.add(dedupId, pos, s.deduplicationCacheSize());
      }
      expiry.appended(pos, expiresAt, perMessage != 0, emptyBefore);
      if (!queue.deleted) {
        dispatcher.dispatchAppended(now, payload, pos);
      }
      if (expiresAt != 0) {
        disposal.expireHead(now, false);
        timers.scheduleExpiry(expiry.nextDeadline());
      }
      if (s.limited()) {
        disposal.dropHeadOverLimit(s);
      }
      return persistent ? EnqueueResult.STORED_DURABLE : EnqueueResult.STORED;
    } finally {
      queue.unlockAndFlush();
      if (payload != null) {
        payload.release();
      }
    }
  }

  /** Under the lock: why the queue does not take {@code message} now, or null if it does. */
  private @Nullable EnqueueResult refusal(Message message, QueueSettings s, long expiresAt,
      @Nullable String dedupId) {
    if (queue.deleted) {
      return EnqueueResult.DROPPED;
    }
    if (queue.failed) {
      return EnqueueResult.REJECTED;
    }
    if (dedupId != null && dedup.contains(dedupId)) {
      return EnqueueResult.DROPPED;
    }
    // will_overflow comes before any delivery attempt: reject-publish refuses even with a consumer waiting
    if (s.limited() && disposal.wouldOverflow(s, message.bodySize()) && s.overflow() != QueueSettings.Overflow.DROP_HEAD) {
      if (s.overflow() == QueueSettings.Overflow.REJECT_PUBLISH_DLX && s.deadLetterExchange() != null) {
        disposal.deadLetter(MessageCodec.encode(alloc, message, expiresAt), "maxlen");
      }
      return EnqueueResult.REJECTED;
    }
    return null;
  }
}
