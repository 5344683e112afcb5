package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.store.sync.Syncable;
import java.io.IOException;
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
 * {@link Queue} contract, its lock and the parts it is made of: {@link QueueIntake} takes
 * messages in, {@link QueueConsumers} attaches and detaches consumers and serves basic.get,
 * {@link Dispatcher} hands messages to consumers, {@link QueueSettlement} takes acks, requeues,
 * retries and rejects, {@link Disposal} removes messages by expiry, overflow, delivery limit or
 * rejection, and {@link QueueLifecycle} handles the queue as a whole (recovery at open, x-expires,
 * purge, delete, close).
 *
 * <p>Threading: all state, that of those parts included, is guarded by {@link #lock}; publishers
 * (any event loop), consumers' channels (acks), the vhost and the timer thread call in concurrently
 * and every critical section is short (an append or a read of one record, never an fsync; the
 * graceful close at shutdown excepted). Buffers: {@link #enqueue} borrows the message; {@link
 * #peek} returns copies the caller releases. Deliveries are handed to consumers'
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
  /** Guards the queue's state and that of its parts (see the class comment). */
  final ReentrantLock lock = new ReentrantLock();
  private final ConsumerSet consumers;
  private final QueueTimers timers;
  private final Expiry expiry;
  private final Retries retries;
  private final Deduplication dedup;
  private final Disposal disposal;
  private final Dispatcher dispatcher;
  private final QueueIntake intake;
  private final QueueConsumers consumerSide;
  private final QueueSettlement settlement;
  private final QueueLifecycle lifecycle;
  private final QueueFlow flow = new QueueFlow();
  private volatile QueueSettings settings;
  /** Allocated under the lock on first use, so that 100,000 idle queues carry no counters. */
  private volatile @Nullable MessageCounts counts;

  // guarded by lock; the parts read them, QueueLifecycle sets deleted
  boolean deleted;
  boolean failed;

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
    this.dispatcher = new Dispatcher(this, store, alloc, consumers, expiry, disposal, this::settings, flow);
    this.intake = new QueueIntake(this, store, alloc, consumers, timers, expiry, dedup, disposal, dispatcher);
    this.consumerSide = new QueueConsumers(this, store, consumers, timers, disposal, dispatcher, flow);
    this.settlement = new QueueSettlement(this, store, timers, expiry, retries, disposal);
    this.lifecycle = new QueueLifecycle(this, store, host, consumers, timers, expiry, retries, dedup, flow);
  }

  /**
   * Opens the queue's store (recovering it if durable) and rebuilds what depends on the records:
   * expiry deadlines and deduplication ids. Blocks on disk: call it off the event loop.
   */
  public static ClassicQueue open(QueueSpec spec, java.nio.file.Path dir, io.warrenmq.store.queue.StoreOptions options,
      ByteBufAllocator alloc, @Nullable Object owner, QueueHost host, QueueSettings settings) throws IOException {
    QueueStore store = QueueStore.open(dir, options, settings.maxPriority());
    ClassicQueue q = new ClassicQueue(spec, store, alloc, owner, host, settings);
    q.lifecycle.recover();
    return q;
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
    return intake.enqueue(message, false);
  }

  @Override
  public EnqueueResult publish(Message message) {
    return intake.enqueue(message, true);
  }

  @Override
  public @Nullable MessageCounts counts() {
    return counts;
  }

  /** Under the lock: the counters, allocated on first use. */
  MessageCounts countsLocked() {
    MessageCounts c = counts;
    if (c == null) {
      c = new MessageCounts();
      counts = c;
    }
    return c;
  }

  /** Bytes of data in the queue's segment files (any thread). */
  public long diskBytes() {
    return store.diskBytes();
  }

  // ---------------------------------------------------------------- consuming

  @Override
  public @Nullable Delivery get(boolean noAck) {
    return consumerSide.get(noAck);
  }

  @Override
  public void addConsumer(Consumer consumer) {
    consumerSide.add(consumer);
  }

  @Override
  public boolean removeConsumer(Consumer consumer) {
    return consumerSide.remove(consumer);
  }

  @Override
  public List<Consumer> consumers() {
    return consumerSide.snapshot();
  }

  /** Whether {@code c} is the active consumer (always true unless single-active-consumer). */
  public boolean isActive(Consumer c) {
    return consumerSide.isActive(c);
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
    settlement.ack(consumer, positions, count);
  }

  @Override
  public void requeue(@Nullable Consumer consumer, long[] positions, int count) {
    settlement.requeue(consumer, positions, count);
  }

  /** nack/reject with requeue: back now, or after the queue's retry back-off. */
  @Override
  public void retry(@Nullable Consumer consumer, long[] positions, int count) {
    settlement.retry(consumer, positions, count);
  }

  /** nack/reject without requeue: dead-lettered (reason rejected) or dropped. */
  @Override
  public void reject(@Nullable Consumer consumer, long[] positions, int count) {
    settlement.reject(consumer, positions, count);
  }

  /** Under the lock: hands ready messages to consumers unless the queue is gone. */
  void dispatchLocked(long now) {
    if (!deleted) {
      dispatcher.dispatch(now);
    }
  }

  // ---------------------------------------------------------------- expiry and timers

  /** Under the lock: dead-letters what is due at the head and in the index; schedules the next. */
  void expireDue(long now) {
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

  /** Timer: see {@link QueueSettlement#onRetryTimer()}. */
  void onRetryTimer() {
    settlement.onRetryTimer();
  }

  /** Timer: see {@link QueueLifecycle#onUnusedTimer()}. */
  void onUnusedTimer() {
    lifecycle.onUnusedTimer();
  }

  /** A redeclare counts as use for x-expires (RabbitMQ). */
  public void touch() {
    lifecycle.touch();
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
    return consumerSide.count();
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
    return consumerSide.peek(n, alloc);
  }

  /** Body bytes of the ready messages (RabbitMQ's message_bytes_ready). */
  public long readyBytes() {
    return store.readyWeight();
  }

  @Override
  public long purge() {
    return lifecycle.purge();
  }

  @Override
  public void delete() {
    lifecycle.delete();
  }

  @Override
  public QueueFlow flow() {
    return flow;
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
    lifecycle.close();
  }

  // ---------------------------------------------------------------- internals

  /** Releases the lock, then publishes the dead letters collected under it. */
  void unlockAndFlush() {
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

  /** Under the lock: the store failed; publishers are refused from now on. */
  void fail(Exception e) {
    failed = true;
    log.error("the store of {} failed; its publishers are refused from now on", spec.resource(), e);
  }

  /** For tests and tools. */
  QueueStore store() {
    return store;
  }
}
