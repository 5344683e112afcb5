package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.store.queue.PreparedStore;
import io.warrenmq.store.sync.Syncable;
import java.io.IOException;
import java.util.List;
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
 * purge, delete, close). Those parts, the store and the lock are made at first use ({@link
 * QueueParts}): a queue declared and never used holds its spec, settings and where its store
 * directory is only.
 *
 * <p>Threading: all state, that of those parts included, is guarded by {@link #lock()}; publishers
 * (any event loop), consumers' channels (acks), the vhost and the timer thread call in concurrently
 * and every critical section is short (an append or a read of one record, never an fsync; the
 * graceful close at shutdown excepted). Buffers: {@link #enqueue} borrows the message; {@link
 * #peek} returns copies the caller releases. Deliveries are handed to consumers'
 * {@code DeliveryTarget}s under the lock (they only enqueue); dead letters collected under the lock
 * are published after it is released, so queue locks never nest.
 */
public final class ClassicQueue extends LazyParts implements Queue {
  private static final Logger log = LoggerFactory.getLogger(ClassicQueue.class);

  private final QueueSpec spec;
  private final @Nullable Object owner;
  private volatile QueueSettings settings;
  /** Allocated under the lock on first use, so that 100,000 idle queues carry no counters. */
  private volatile @Nullable MessageCounts counts;

  // guarded by lock; the parts read them, QueueLifecycle sets deleted
  boolean deleted;
  boolean failed;

  private ClassicQueue(QueueSpec spec, StoreSite site, String dirName, PreparedStore[] opened, @Nullable Object owner,
      QueueSettings settings) {
    super(spec.name(), site, dirName, opened);
    this.spec = spec;
    this.owner = owner;
    this.settings = settings;
  }

  /**
   * Opens the queue's store directory {@code dirName} under {@code site} (recovering it if
   * durable). A store that holds messages, or
   * a queue with x-expires (its timer runs from now), gets its parts at once, rebuilding what
   * depends on the records (expiry deadlines, deduplication ids); any other queue stays idle until
   * first used. Blocks on disk: call it off the event loop.
   */
  public static ClassicQueue open(QueueSpec spec, StoreSite site, String dirName, @Nullable Object owner,
      QueueSettings settings) throws IOException {
    PreparedStore[] prepared = QueueStore.prepare(site.parent().resolve(dirName), site.options(), settings.maxPriority());
    ClassicQueue q = new ClassicQueue(spec, site, dirName, prepared, owner, settings);
    if (!QueueStore.empty(prepared) || settings.expires() > 0) {
      q.parts().lifecycle.recover();
    }
    return q;
  }

  @Override
  String storeName() {
    return spec.name();
  }

  @Override
  QueueParts newParts(QueueStore store) {
    return new QueueParts(this, store, site.alloc(), site.host());
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
    return parts().store;
  }

  // ---------------------------------------------------------------- publishing

  @Override
  public EnqueueResult enqueue(Message message) {
    return parts().intake.enqueue(message, false);
  }

  @Override
  public EnqueueResult publish(Message message) {
    return parts().intake.enqueue(message, true);
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
    QueueParts p = parts;
    return p == null ? 0 : p.store.diskBytes();
  }

  // ---------------------------------------------------------------- consuming

  @Override
  public @Nullable Delivery get(boolean noAck) {
    return parts().consumerSide.get(noAck);
  }

  @Override
  public void addConsumer(Consumer consumer) {
    parts().consumerSide.add(consumer);
  }

  @Override
  public boolean removeConsumer(Consumer consumer) {
    QueueParts p = parts;
    return p != null && p.consumerSide.remove(consumer);
  }

  @Override
  public List<Consumer> consumers() {
    QueueParts p = parts;
    return p == null ? List.of() : p.consumerSide.snapshot();
  }

  /** Whether {@code c} is the active consumer (always true unless single-active-consumer). */
  public boolean isActive(Consumer c) {
    return parts().consumerSide.isActive(c);
  }

  @Override
  public void dispatch() {
    if (parts == null) {
      return; // nothing to hand out
    }
    lock().lock();
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
    parts().settlement.ack(consumer, positions, count);
  }

  @Override
  public void requeue(@Nullable Consumer consumer, long[] positions, int count) {
    parts().settlement.requeue(consumer, positions, count);
  }

  /** nack/reject with requeue: back now, or after the queue's retry back-off. */
  @Override
  public void retry(@Nullable Consumer consumer, long[] positions, int count) {
    parts().settlement.retry(consumer, positions, count);
  }

  /** nack/reject without requeue: dead-lettered (reason rejected) or dropped. */
  @Override
  public void reject(@Nullable Consumer consumer, long[] positions, int count) {
    parts().settlement.reject(consumer, positions, count);
  }

  /** Under the lock: hands ready messages to consumers unless the queue is gone. */
  void dispatchLocked(long now) {
    if (!deleted) {
      parts().dispatcher.dispatch(now);
    }
  }

  // ---------------------------------------------------------------- expiry and timers

  /** Under the lock: dead-letters what is due at the head and in the index; schedules the next. */
  void expireDue(long now) {
    QueueParts p = parts();
    p.disposal.expireDue(now, spec.resource());
    p.timers.scheduleExpiry(p.expiry.nextDeadline());
  }

  /** Timer: expired messages anywhere in the queue, then the next deadline. */
  void onExpiryTimer() {
    lock().lock();
    try {
      parts().timers.expiryFired();
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
    parts().settlement.onRetryTimer();
  }

  /** Timer: see {@link QueueLifecycle#onUnusedTimer()}. */
  void onUnusedTimer() {
    parts().lifecycle.onUnusedTimer();
  }

  /** A redeclare counts as use for x-expires (RabbitMQ). */
  public void touch() {
    if (parts != null || settings.expires() > 0) {
      parts().lifecycle.touch();
    }
  }

  /** Policies changed: new settings apply from now on (limits trim at once). */
  public void applySettings(QueueSettings s) {
    if (s.expires() <= 0) {
      settings = s;
      if (parts == null) {
        // idle: nothing to trim, no timer to start, no lock to make. Parts built from now on
        // (their publishing sees settings after this write, both fields being volatile)
        return;
      }
    }
    lock().lock();
    try {
      settings = s;
      QueueParts p = partsLocked();
      if (s.limited()) {
        p.disposal.dropHeadOverLimit(s);
      }
      if (p.consumers.isEmpty()) {
        p.timers.touch(s.expires());
      }
    } finally {
      unlockAndFlush();
    }
  }

  // ---------------------------------------------------------------- counts, purge, delete

  @Override
  public long messageCount() {
    QueueParts p = parts;
    return p == null ? 0 : p.store.readyCount();
  }

  @Override
  public long unackedCount() {
    QueueParts p = parts;
    return p == null ? 0 : p.store.unackedCount() - p.retries.size();
  }

  /** Messages waiting for their retry back-off. */
  public long delayedCount() {
    QueueParts p = parts;
    return p == null ? 0 : p.retries.size();
  }

  @Override
  public int consumerCount() {
    QueueParts p = parts;
    return p == null ? 0 : p.consumerSide.count();
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
    QueueParts p = parts;
    return p == null ? new java.util.ArrayList<>() : p.consumerSide.peek(n, site.alloc());
  }

  /** Body bytes of the ready messages (RabbitMQ's message_bytes_ready). */
  public long readyBytes() {
    QueueParts p = parts;
    return p == null ? 0 : p.store.readyWeight();
  }

  @Override
  public long purge() {
    QueueParts p = parts;
    return p == null ? 0 : p.lifecycle.purge();
  }

  @Override
  public void delete() {
    parts().lifecycle.delete();
  }

  @Override
  public QueueFlow flow() {
    QueueParts p = parts;
    return p == null ? QueueFlow.NEVER : p.flow; // an idle queue has no consumers to fall behind
  }

  @Override
  public boolean isDeleted() {
    if (parts == null) {
      return false; // only its parts delete a queue, and they would exist by now
    }
    lock().lock();
    try {
      return deleted;
    } finally {
      lock().unlock();
    }
  }

  /**
   * The graceful stop: everything of the store is forced and it leaves its clean-shutdown marker,
   * so that the next start trusts the delivery counts. A failed store, or one whose force fails
   * now, closes without it: the next start counts its messages as delivered once (redelivered).
   */
  @Override
  public void close() {
    parts().lifecycle.close();
  }

  // ---------------------------------------------------------------- internals

  /** Releases the lock, then publishes the dead letters collected under it. */
  void unlockAndFlush() {
    QueueParts p = parts;
    List<DeadLetter> letters = p == null ? List.of() : p.disposal.takeDeadLetters();
    String dlx = letters.isEmpty() ? null : settings.deadLetterExchange();
    lock().unlock();
    if (letters.isEmpty()) {
      return;
    }
    if (dlx == null) {
      letters.forEach(d -> d.record().release());
    } else {
      site.host().deadLetter(this, dlx, settings.deadLetterRoutingKey(), letters);
    }
  }

  /** Under the lock: the store failed; publishers are refused from now on. */
  void fail(Exception e) {
    failed = true;
    log.error("the store of {} failed; its publishers are refused from now on", spec.resource(), e);
  }

  /** For tests and tools. */
  QueueStore store() {
    return parts().store;
  }
}
