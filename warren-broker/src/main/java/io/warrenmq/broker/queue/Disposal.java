package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.broker.message.StoredRecords;
import io.warrenmq.store.segment.SegmentPosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How messages leave a classic queue other than by a consumer's ack: they expire (TTL), overflow a
 * length limit, pass the delivery limit or are rejected. Each is removed from the store and, if the
 * queue has a dead-letter exchange, collected as a {@link DeadLetter} with RabbitMQ's reason
 * ({@code expired}, {@code maxlen}, {@code delivery_limit}, {@code rejected}); the queue publishes
 * the collected letters once its lock is released.
 *
 * <p>Threading: guarded by the owning queue's lock.
 */
final class Disposal {
  private static final Logger log = LoggerFactory.getLogger(Disposal.class);

  private final QueueStore store;
  private final ByteBufAllocator alloc;
  private final Expiry expiry;
  private final Deduplication dedup;
  private final Supplier<QueueSettings> settings;
  private final Consumer<Exception> storeFailed;
  private List<DeadLetter> deadLetters = new ArrayList<>();

  Disposal(QueueStore store, ByteBufAllocator alloc, Expiry expiry, Deduplication dedup,
      Supplier<QueueSettings> settings, Consumer<Exception> storeFailed) {
    this.store = store;
    this.alloc = alloc;
    this.expiry = expiry;
    this.dedup = dedup;
    this.settings = settings;
    this.storeFailed = storeFailed;
  }

  /** The letters collected since the last call (the caller owns their records). */
  List<DeadLetter> takeDeadLetters() {
    if (deadLetters.isEmpty()) {
      return List.of();
    }
    List<DeadLetter> out = deadLetters;
    deadLetters = new ArrayList<>();
    return out;
  }

  /** A record that never entered the queue but is dead-lettered (reject-publish-dlx). */
  void deadLetter(ByteBuf record, String reason) {
    deadLetters.add(new DeadLetter(record, reason));
  }

  /** Removes a taken record for good, dead-lettering it if the queue has a DLX. */
  void discard(long pos, String reason) {
    if (settings.get().deadLetterExchange() != null) {
      deadLetters.add(new DeadLetter(store.read(pos, alloc), reason));
    }
    acked(pos);
  }

  /** A taken record is done with (acked, or delivered to a no-ack consumer). */
  void acked(long pos) {
    forget(pos);
    try {
      store.ack(pos);
    } catch (UncheckedIOException e) {
      // deleting a drained segment failed
      storeFailed.accept(e.getCause());
    }
  }

  private void forget(long pos) {
    if (settings.get().deduplication()) {
      dedup.removePosition(pos);
    }
  }

  // ---------------------------------------------------------------- length limits

  /** Whether one more message of {@code bodySize} bytes would break a length limit. */
  boolean wouldOverflow(QueueSettings s, int bodySize) {
    return (s.maxLength() >= 0 && store.readyCount() + 1 > s.maxLength())
        || (s.maxLengthBytes() >= 0 && store.readyWeight() + bodySize > s.maxLengthBytes());
  }

  /** Drop-head overflow: the oldest ready messages go (dead-lettered with reason maxlen). */
  void dropHeadOverLimit(QueueSettings s) {
    if (s.overflow() != QueueSettings.Overflow.DROP_HEAD) {
      return;
    }
    while ((s.maxLength() >= 0 && store.readyCount() > s.maxLength())
        || (s.maxLengthBytes() >= 0 && store.readyWeight() > s.maxLengthBytes())) {
      long pos = store.nextReady();
      if (pos == SegmentPosition.NONE) {
        return;
      }
      discard(pos, "maxlen");
    }
  }

  // ---------------------------------------------------------------- delivery limit

  /** RabbitMQ's x-delivery-limit: more redeliveries than the limit and the message is dead. */
  boolean overDeliveryLimit(long pos) {
    long limit = settings.get().deliveryLimit();
    return limit >= 0 && store.deliveries(pos) - 1 > limit;
  }

  /** The same when {@code pos} is being returned: every one of its deliveries was given back. */
  boolean overDeliveryLimitOnReturn(long pos) {
    long limit = settings.get().deliveryLimit();
    return limit >= 0 && store.deliveries(pos) > limit;
  }

  // ---------------------------------------------------------------- expiry

  /**
   * Expires ready messages at the head whose deadline has passed ({@code strict}: only those
   * strictly before now, so a TTL-0 message may still be delivered in the millisecond it came).
   */
  void expireHead(long now, boolean strict) {
    while (true) {
      long exp = expiry.headDeadline();
      if (exp == 0 || exp > now || (strict && exp == now)) {
        return;
      }
      long pos = store.nextReady();
      if (pos == SegmentPosition.NONE) {
        return;
      }
      discard(pos, "expired");
    }
  }

  /** Dead-letters what is due at the head and in the deadline index. */
  void expireDue(long now, Object resource) {
    expireHead(now, false);
    try {
      expiry.expireDue(now, pos -> {
        if (settings.get().deadLetterExchange() != null) {
          deadLetters.add(new DeadLetter(store.read(pos, alloc), "expired"));
        }
        forget(pos);
      });
    } catch (IOException | UncheckedIOException e) {
      log.error("expiry of {} failed", resource, e);
    }
  }

  /**
   * A requeued message keeps its deadline (rabbit_amqqueue_process requeue_and_run drops the
   * expired right away); back at its place it may sit behind longer-lived messages, so its
   * deadline is watched by the index again, as at its first enqueue.
   */
  void watchDeadline(long pos) {
    if (!expiry.mayExpire()) {
      return;
    }
    ByteBuf record = store.read(pos, alloc);
    try {
      expiry.watch(pos, StoredRecords.expiresAt(record));
    } finally {
      record.release();
    }
  }
}
