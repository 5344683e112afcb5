package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.message.MessageCodec;
import io.warrenmq.store.segment.SegmentPosition;
import io.warrenmq.store.sync.Syncable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A classic queue on a disk-first store: every message is appended to the queue's segment files
 * (one store per priority level for a priority queue); consumers are served by priority and
 * round-robin within their prefetch credit; TTL, length limits, dead-lettering, delivery limits,
 * retry back-off and deduplication follow the queue's {@link QueueSettings}. This class is the
 * {@link Queue} contract and its locking; {@link Dispatcher} hands messages to consumers and
 * {@link Disposal} removes them by expiry, overflow, delivery limit or rejection.
 *
 * <p>Threading: all state is guarded by {@link #lock}; publishers (any event loop), consumers'
 * channels (acks), the vhost and the timer thread call in concurrently and every critical section
 * is short (an append or a read of one record, never an fsync). Deliveries are handed to consumers'
 * {@code DeliveryTarget}s under the lock (they only enqueue); dead letters collected under the lock
 * are published after it is released, so queue locks never nest.
 */
public final class ClassicQueue implements Queue {
  private static final Logger log = LoggerFactory.getLogger(ClassicQueue.class);

  private final QueueSpec spec;
  private final QueueStore store;
  private final ByteBufAllocator alloc;
  private final @Nullable Object owner;
  private final QueueHost host;
  private final ReentrantLock lock = new ReentrantLock();
  private final ConsumerSet consumers;
  private final QueueTimers timers;
  private final Expiry expiry;
  private final Retries retries;
  private final Deduplication dedup;
  private final Disposal disposal;
  private final Dispatcher dispatcher;
  private volatile QueueSettings settings;

  // guarded by lock
  private boolean deleted;
  private boolean failed;

  ClassicQueue(QueueSpec spec, QueueStore store, ByteBufAllocator alloc, @Nullable Object owner,
      QueueHost host, QueueSettings settings) {
    this.spec = spec;
    this.store = store;
    this.alloc = alloc;
    this.owner = owner;
    this.host = host;
    this.settings = settings;
    this.consumers = new ConsumerSet(settings.singleActiveConsumer());
    this.timers = new QueueTimers(this, host.timers());
    this.expiry = new Expiry(store, store.directory());
    this.retries = new Retries(store, store.directory());
    this.dedup = new Deduplication();
    this.disposal = new Disposal(store, alloc, expiry, dedup, this::settings, this::fail);
    this.dispatcher = new Dispatcher(this, store, alloc, consumers, expiry, disposal, this::settings);
  }

  /**
   * Opens the queue's store (recovering it if durable) and rebuilds what depends on the records:
   * expiry deadlines and deduplication ids. Blocks on disk: call it off the event loop.
   */
  public static ClassicQueue open(QueueSpec spec, java.nio.file.Path dir, io.warrenmq.store.queue.StoreOptions options,
      ByteBufAllocator alloc, @Nullable Object owner, QueueHost host, QueueSettings settings) throws IOException {
    QueueStore store = QueueStore.open(dir, options, settings.maxPriority());
    ClassicQueue q = new ClassicQueue(spec, store, alloc, owner, host, settings);
    q.recover();
    return q;
  }

  private void recover() throws IOException {
    lock.lock();
    try {
      if (store.readyCount() > 0) {
        expiry.recover();
        if (settings.deduplication()) {
          dedup.recover(store, settings.deduplicationCacheSize());
        }
        timers.scheduleExpiry(expiry.nextDeadline());
      }
      timers.touch(settings.expires());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public QueueSpec spec() {
    return spec;
  }

  public QueueSettings settings() {
    return settings;
  }

  @Override
  public @Nullable Object exclusiveOwner() {
    return owner;
  }

  @Override
  public Syncable syncTarget() {
    return store;
  }

  /** The store's directory (for the vhost's orphan check). */
  public java.nio.file.Path directory() {
    return store.directory();
  }

  public io.warrenmq.store.recovery.RecoveryReport recoveryReport() {
    return store.recoveryReport();
  }

  /** Whether the store found its clean-shutdown marker at open (else its messages count as delivered). */
  public boolean recoveredClean() {
    return store.recoveredClean();
  }

  // ---------------------------------------------------------------- publishing

  @Override
  public EnqueueResult enqueue(Message message) {
    QueueSettings s = settings;
    long now = System.currentTimeMillis();
    long perMessage = Expiry.perMessageDeadline(message, now);
    long expiresAt = Expiry.deadline(now, s.messageTtl(), perMessage);
    boolean persistent = spec.durable() && message.persistent();
    String dedupId = s.deduplication() ? Deduplication.idOf(message) : null;
    boolean unstorable = !persistent && expiresAt == 0 && dedupId == null;
    ByteBuf payload = null;
    lock.lock();
    try {
      // limits as they are now: a policy applied while this publish waited for the lock trimmed the queue
      s = settings;
      if (deleted) {
        return EnqueueResult.DROPPED;
      }
      if (failed) {
        return EnqueueResult.REJECTED;
      }
      if (dedupId != null && dedup.contains(dedupId)) {
        return EnqueueResult.DROPPED;
      }
      int priority = Math.max(0, message.summary().priority());
      // will_overflow comes before any delivery attempt: reject-publish refuses even with a consumer waiting
      if (s.limited() && disposal.wouldOverflow(s, message.bodySize()) && s.overflow() != QueueSettings.Overflow.DROP_HEAD) {
        if (s.overflow() == QueueSettings.Overflow.REJECT_PUBLISH_DLX && s.deadLetterExchange() != null) {
          disposal.deadLetter(MessageCodec.encode(alloc, message, expiresAt), "maxlen");
        }
        return EnqueueResult.REJECTED;
      }
      if (unstorable && store.readyCount() == 0 && consumers.allNoAck()) {
        // Nothing waits and every consumer is no-ack: a transient message goes straight to a
        // consumer without touching the store, as RabbitMQ does (it would be forgotten on
        // delivery anyway); the consumer's channel encodes it at once.
        Consumer c = consumers.next();
        if (c != null && c.target().deliverUnstored(c, message)) {
          return EnqueueResult.STORED;
        }
      }
      payload = MessageCodec.encode(alloc, message, expiresAt);
      long pos;
      boolean emptyBefore = store.readyCount() == 0;
      try {
        pos = store.append(payload, persistent, message.bodySize(), priority);
      } catch (IOException | RuntimeException e) {
        fail(e);
        return EnqueueResult.REJECTED;
      }
      if (dedupId != null) {
        dedup.add(dedupId, pos, s.deduplicationCacheSize());
      }
      expiry.appended(pos, expiresAt, perMessage != 0, emptyBefore);
      if (!deleted) {
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
      unlockAndFlush();
      if (payload != null) {
        payload.release();
      }
    }
  }

  // ---------------------------------------------------------------- consuming

  @Override
  public @Nullable Delivery get(boolean noAck) {
    lock.lock();
    try {
      if (deleted) {
        return null;
      }
      timers.touch(settings.expires());
      long now = System.currentTimeMillis();
      disposal.expireHead(now, false);
      while (true) {
        long pos = store.nextReady();
        if (pos == SegmentPosition.NONE) {
          return null;
        }
        if (disposal.overDeliveryLimit(pos)) {
          disposal.discard(pos, "delivery_limit");
          continue;
        }
        return dispatcher.take(null, pos, noAck);
      }
    } finally {
      unlockAndFlush();
    }
  }

  @Override
  public void addConsumer(Consumer consumer) {
    lock.lock();
    try {
      if (deleted) {
        throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s", spec.resource());
      }
      consumers.add(consumer, spec.resource());
      timers.cancelUnused();
      dispatchLocked(System.currentTimeMillis());
    } finally {
      unlockAndFlush();
    }
  }

  @Override
  public boolean removeConsumer(Consumer consumer) {
    lock.lock();
    try {
      consumer.deactivate();
      boolean removed = consumers.remove(consumer);
      if (removed && consumers.isEmpty()) {
        timers.touch(settings.expires());
      }
      if (removed && settings.singleActiveConsumer()) {
        dispatchLocked(System.currentTimeMillis());
      }
      return removed && !deleted && spec.autoDelete() && consumers.isEmpty();
    } finally {
      unlockAndFlush();
    }
  }

  @Override
  public List<Consumer> consumers() {
    lock.lock();
    try {
      return consumers.snapshot();
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code c} is the active consumer (always true unless single-active-consumer). */
  public boolean isActive(Consumer c) {
    lock.lock();
    try {
      return consumers.isActive(c);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void dispatch() {
    lock.lock();
    try {
      dispatchLocked(System.currentTimeMillis());
    } finally {
      unlockAndFlush();
    }
  }

  @Override
  public void ack(@Nullable Consumer consumer, long position) {
    ack(consumer, new long[] {position}, 1);
  }

  @Override
  public void ack(@Nullable Consumer consumer, long[] positions, int count) {
    lock.lock();
    try {
      if (deleted) {
        return;
      }
      for (int i = 0; i < count; i++) {
        disposal.acked(positions[i]);
      }
      settled(consumer, count);
    } finally {
      unlockAndFlush();
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
        // as quorum queues (rabbit_fifo return_one): a return past the delivery limit dead-letters
        if (disposal.overDeliveryLimitOnReturn(positions[i])) {
          disposal.discard(positions[i], "delivery_limit");
        } else {
          store.requeue(positions[i]);
          disposal.watchDeadline(positions[i]);
        }
      }
      if (expiry.mayExpire()) {
        expireDue(System.currentTimeMillis());
      }
      // requeue_and_run: maybe_drop_head, so under drop-head the requeued head may go at once
      disposal.dropHeadOverLimit(settings);
      settled(consumer, count);
    } finally {
      unlockAndFlush();
    }
  }

  /** nack/reject with requeue: back now, or after the queue's retry back-off. */
  @Override
  public void retry(@Nullable Consumer consumer, long[] positions, int count) {
    QueueSettings s = settings;
    if (!s.retries()) {
      requeue(consumer, positions, count);
      return;
    }
    lock.lock();
    try {
      if (deleted) {
        return;
      }
      long now = System.currentTimeMillis();
      for (int i = 0; i < count; i++) {
        long pos = positions[i];
        if (disposal.overDeliveryLimitOnReturn(pos)) {
          disposal.discard(pos, "delivery_limit");
          continue;
        }
        retries.delay(pos, now + s.retryDelayFor(store.deliveries(pos)));
      }
      timers.scheduleRetry(retries.nextDeadline());
      settled(consumer, count);
    } catch (IOException e) {
      fail(e);
    } finally {
      unlockAndFlush();
    }
  }

  /** nack/reject without requeue: dead-lettered (reason rejected) or dropped. */
  @Override
  public void reject(@Nullable Consumer consumer, long[] positions, int count) {
    lock.lock();
    try {
      if (deleted) {
        return;
      }
      for (int i = 0; i < count; i++) {
        disposal.discard(positions[i], "rejected");
      }
      settled(consumer, count);
    } finally {
      unlockAndFlush();
    }
  }

  /** Under the lock: deliveries of {@code c} were settled; it may take more. */
  private void settled(@Nullable Consumer consumer, int count) {
    if (consumer != null) {
      consumer.settled(count);
    }
    dispatchLocked(System.currentTimeMillis());
  }

  private void dispatchLocked(long now) {
    if (!deleted) {
      dispatcher.dispatch(now);
    }
  }

  // ---------------------------------------------------------------- expiry and timers

  /** Under the lock: dead-letters what is due at the head and in the index; schedules the next. */
  private void expireDue(long now) {
    disposal.expireDue(now, spec.resource());
    timers.scheduleExpiry(expiry.nextDeadline());
  }

  /** Timer: expired messages anywhere in the queue, then the next deadline. */
  void onExpiryTimer() {
    lock.lock();
    try {
      timers.expiryFired();
      if (deleted) {
        return;
      }
      long now = System.currentTimeMillis();
      expireDue(now);
      dispatchLocked(now);
    } finally {
      unlockAndFlush();
    }
  }

  /** Timer: retried messages whose back-off is over are ready again, at their place. */
  void onRetryTimer() {
    lock.lock();
    try {
      timers.retryFired();
      if (deleted) {
        return;
      }
      long now = System.currentTimeMillis();
      // back at their place like any requeue: deadlines that ran out during the back-off are due now
      retries.releaseDue(now, disposal::watchDeadline);
      if (expiry.mayExpire()) {
        expireDue(now);
      }
      timers.scheduleRetry(retries.nextDeadline());
      dispatchLocked(now);
    } catch (IOException e) {
      log.error("retry timer of {} failed", spec.resource(), e);
    } finally {
      unlockAndFlush();
    }
  }

  /** Timer: unused for x-expires; the vhost deletes the queue if it is still unused. */
  void onUnusedTimer() {
    boolean unused;
    lock.lock();
    try {
      unused = !deleted && consumers.isEmpty() && timers.unusedFor(settings.expires());
    } finally {
      lock.unlock();
    }
    if (unused) {
      log.info("{} expired after {} ms unused", spec.resource(), settings.expires());
      host.expired(this);
    }
  }

  /** A redeclare counts as use for x-expires (RabbitMQ). */
  public void touch() {
    lock.lock();
    try {
      if (consumers.isEmpty()) {
        timers.touch(settings.expires());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Policies changed: new settings apply from now on (limits trim at once). */
  public void applySettings(QueueSettings s) {
    lock.lock();
    try {
      settings = s;
      if (s.limited()) {
        disposal.dropHeadOverLimit(s);
      }
      if (consumers.isEmpty()) {
        timers.touch(s.expires());
      }
    } finally {
      unlockAndFlush();
    }
  }

  // ---------------------------------------------------------------- counts, purge, delete

  @Override
  public long messageCount() {
    return store.readyCount();
  }

  @Override
  public long unackedCount() {
    return store.unackedCount() - retries.size();
  }

  /** Messages waiting for their retry back-off. */
  public long delayedCount() {
    return retries.size();
  }

  @Override
  public int consumerCount() {
    return consumers.size(); // a volatile count: listings of many queues take no lock
  }

  /** Copies of the first {@code n} ready messages' records, without changing the queue (peek). */
  public List<ByteBuf> peek(int n) {
    List<Peeked> peeked = peekMessages(n);
    List<ByteBuf> out = new ArrayList<>(peeked.size());
    peeked.forEach(p -> out.add(p.record()));
    return out;
  }

  /**
   * A ready message as peek sees it.
   *
   * @param record a copy of its stored record, OWNED by the caller (release it)
   * @param deliveries how many times it was handed out before (0: never; redelivered otherwise)
   */
  public record Peeked(ByteBuf record, int deliveries) {}

  /**
   * The first {@code n} ready messages in delivery order, copied, with their delivery counts:
   * nothing of the queue changes (no delivery counted, no redelivered flag, no reordering).
   */
  public List<Peeked> peekMessages(int n) {
    lock.lock();
    try {
      List<Peeked> out = new ArrayList<>();
      if (!deleted) {
        store.scanReady(n, (pos, payload) -> {
          ByteBuf copy = alloc.buffer(payload.readableBytes());
          copy.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
          out.add(new Peeked(copy, store.deliveries(pos)));
          return true;
        });
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Body bytes of the ready messages (RabbitMQ's message_bytes_ready). */
  public long readyBytes() {
    return store.readyWeight();
  }

  @Override
  public long purge() {
    lock.lock();
    try {
      if (deleted) {
        return 0;
      }
      long n = store.purge();
      dedup.clear();
      expiry.clear();
      return n;
    } catch (UncheckedIOException e) {
      fail(e.getCause());
      return 0;
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
      timers.cancelAll();
      cancelled = consumers.snapshot();
      consumers.clear();
      cancelled.forEach(Consumer::deactivate);
    } finally {
      lock.unlock();
    }
    for (Consumer c : cancelled) {
      c.target().cancelledByBroker(c);
    }
    // the queue is gone for everyone now; its files go on a thread that may block
    host.blocking().execute(() -> {
      try {
        expiry.close();
        retries.close();
        store.deleteAll();
      } catch (IOException | RuntimeException e) {
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

  /**
   * The graceful stop: everything of the store is forced and it leaves its clean-shutdown marker,
   * so that the next start trusts the delivery counts. A failed store, or one whose force fails
   * now, closes without it: the next start counts its messages as delivered once (redelivered).
   */
  @Override
  public void close() {
    lock.lock();
    try {
      boolean clean = !deleted && !failed;
      deleted = true;
      timers.cancelAll();
      consumers.clear();
      expiry.close();
      retries.close();
      if (clean) {
        try {
          store.closeCleanly();
        } catch (IOException e) {
          log.error("could not force the store of {} at shutdown; the next start counts its messages as delivered",
              spec.resource(), e);
        }
      } else {
        store.close();
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- internals

  /** Releases the lock, then publishes the dead letters collected under it. */
  private void unlockAndFlush() {
    List<DeadLetter> letters = disposal.takeDeadLetters();
    String dlx = letters.isEmpty() ? null : settings.deadLetterExchange();
    lock.unlock();
    if (letters.isEmpty()) {
      return;
    }
    if (dlx == null) {
      letters.forEach(d -> d.record().release());
    } else {
      host.deadLetter(this, dlx, settings.deadLetterRoutingKey(), letters);
    }
  }

  private void fail(Exception e) {
    failed = true;
    log.error("the store of {} failed; its publishers are refused from now on", spec.resource(), e);
  }

  /** For tests and tools. */
  QueueStore store() {
    return store;
  }
}
