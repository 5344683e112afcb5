package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Envelope;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.message.MessageCodec;
import io.warrenmq.broker.message.StoredRecords;
import io.warrenmq.store.index.DeadlineIndex;
import io.warrenmq.store.queue.MessageStore;
import io.warrenmq.store.queue.StoreOptions;
import io.warrenmq.store.sync.Syncable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages a delayed message exchange holds: appended to a segment store of their own with
 * their due time in the record, indexed by due time in a {@link DeadlineIndex} (bounded heap,
 * spilling to disk), and routed by the exchange when due. A million held messages cost the same
 * heap as a thousand; any delay works (no 32-bit timer limit); after a restart the index is rebuilt
 * from the store and overdue messages go out at once. It is a {@link Queue} so publishing (and
 * publisher confirms after fsync) treat it like any destination; it has no consumers.
 *
 * <p>Threading: guarded by {@link #lock}; routing of due messages happens after releasing it.
 */
public final class DelayedMessages implements Queue {
  private static final Logger log = LoggerFactory.getLogger(DelayedMessages.class);
  private static final int INDEX_MEMORY = 16 * 1024;
  private static final int BATCH = 1000;

  /** Routes a message whose delay is over (the delayed exchange's bindings). */
  public interface Router {
    void routeDue(Message message);
  }

  private final QueueSpec spec;
  private final MessageStore store;
  private final DeadlineIndex index;
  private final ByteBufAllocator alloc;
  private final ScheduledExecutorService timer;
  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable Router router;
  private @Nullable ScheduledFuture<?> task;
  private long taskAt;
  private boolean closed;

  private DelayedMessages(QueueSpec spec, MessageStore store, Path dir, ByteBufAllocator alloc,
      ScheduledExecutorService timer) {
    this.spec = spec;
    this.store = store;
    this.index = new DeadlineIndex(dir.resolve("index"), INDEX_MEMORY, (d, pos) -> store.isReady(pos));
    this.alloc = alloc;
    this.timer = timer;
  }

  /** Opens the store in {@code dir} and rebuilds the index from the held messages. Blocks. */
  public static DelayedMessages open(String vhost, String exchange, boolean durable, Path dir, int segmentSize,
      ByteBufAllocator alloc, ScheduledExecutorService timer) throws IOException {
    MessageStore store = MessageStore.open(dir.resolve("messages"), new StoreOptions(segmentSize, durable));
    QueueSpec spec = new QueueSpec(vhost, "delayed messages of exchange '" + exchange + "'", durable, false, false,
        FieldTable.EMPTY);
    DelayedMessages d = new DelayedMessages(spec, store, dir, alloc, timer);
    d.recover();
    return d;
  }

  private void recover() throws IOException {
    IOException[] failure = {null};
    store.scanReady(Integer.MAX_VALUE, (pos, payload) -> {
      try {
        index.add(StoredRecords.expiresAt(payload), pos);
        return true;
      } catch (IOException e) {
        failure[0] = e;
        return false;
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  /** Starts firing, through {@code router}. */
  public void start(Router r) {
    lock.lock();
    try {
      this.router = r;
      schedule(index.nextDeadline());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public QueueSpec spec() {
    return spec;
  }

  public MessageStore store() {
    return store;
  }

  @Override
  public EnqueueResult enqueue(Message message) {
    long due = System.currentTimeMillis() + io.warrenmq.broker.exchange.DelayedMessageExchange.delayOf(message);
    boolean persistent = spec.durable() && message.persistent();
    // the published properties, BCC included: its keys must still route the message when due
    ByteBuf payload = MessageCodec.encode(alloc, message.exchange(), message.routingKey(), message.timestamp(), due,
        message.routing(), message.rawProperties(), message.body());
    lock.lock();
    try {
      if (closed) {
        return EnqueueResult.DROPPED;
      }
      long pos = store.append(payload, persistent, message.bodySize());
      index.add(due, pos);
      schedule(due);
      return persistent ? EnqueueResult.STORED_DURABLE : EnqueueResult.STORED;
    } catch (IOException e) {
      log.error("could not hold a delayed message of {}", spec.resource(), e);
      return EnqueueResult.REJECTED;
    } finally {
      lock.unlock();
      payload.release();
    }
  }

  private void schedule(long at) {
    if (at == Long.MAX_VALUE || router == null || closed) {
      return;
    }
    if (task != null && !task.isDone() && taskAt <= at) {
      return;
    }
    if (task != null) {
      task.cancel(false);
    }
    taskAt = at;
    task = timer.schedule(this::fire, Math.max(0, at - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
  }

  /** Timer: routes the due messages, a batch at a time. */
  private void fire() {
    List<ByteBuf> due = new ArrayList<>();
    Router r;
    lock.lock();
    try {
      // this task is running: the next deadline needs a task of its own
      task = null;
      taskAt = 0;
      r = router;
      if (closed || r == null) {
        return;
      }
      index.pollDue(System.currentTimeMillis(), BATCH, (deadline, pos) -> {
        if (store.isReady(pos)) {
          due.add(store.read(pos, alloc));
          store.remove(pos);
        }
      });
      schedule(index.nextDeadline());
    } catch (IOException e) {
      log.error("delayed messages of {} could not be read", spec.resource(), e);
      return;
    } finally {
      lock.unlock();
    }
    for (ByteBuf rec : due) {
      try {
        Envelope e = Envelope.parse(rec);
        ByteBuf props = io.warrenmq.broker.exchange.DelayedMessageExchange.propertiesWhenDue(e.properties(), alloc);
        Message m = new Message(e.exchange(), e.routingKey(), props, e.body(), e.timestamp());
        if (e.routing() != null) {
          m.withRouting(e.routing());
        }
        try {
          r.routeDue(m);
        } finally {
          m.release();
          props.release();
        }
      } catch (RuntimeException ex) {
        log.warn("delayed message of {} could not be routed: {}", spec.resource(), ex.toString());
      } finally {
        rec.release();
      }
    }
  }

  @Override
  public long messageCount() {
    return store.readyCount();
  }

  @Override
  public Syncable syncTarget() {
    return store;
  }

  @Override
  public @Nullable Object exclusiveOwner() {
    return null;
  }

  @Override
  public @Nullable Delivery get(boolean noAck) {
    return null;
  }

  @Override
  public void addConsumer(Consumer consumer) {
    throw new UnsupportedOperationException("delayed messages have no consumers");
  }

  @Override
  public boolean removeConsumer(Consumer consumer) {
    return false;
  }

  @Override
  public List<Consumer> consumers() {
    return List.of();
  }

  @Override
  public long unackedCount() {
    return 0;
  }

  @Override
  public int consumerCount() {
    return 0;
  }

  @Override
  public long purge() {
    return 0;
  }

  @Override
  public void delete() {
    lock.lock();
    try {
      closed = true;
      if (task != null) {
        task.cancel(false);
      }
      index.close();
      store.deleteAll();
    } catch (IOException e) {
      log.error("could not remove the delayed messages of {}", spec.resource(), e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isDeleted() {
    return closed;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (task != null) {
        task.cancel(false);
      }
      index.close();
      try {
        // forced whole, removals of fired messages included, with the clean-shutdown marker
        store.closeCleanly();
      } catch (IOException e) {
        log.error("could not force the delayed messages of {}", spec.resource(), e);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void dispatch() {}

  @Override
  public void ack(@Nullable Consumer c, long position) {}

  @Override
  public void ack(@Nullable Consumer c, long[] positions, int count) {}

  @Override
  public void requeue(@Nullable Consumer c, long[] positions, int count) {}

  @Override
  public void reject(@Nullable Consumer c, long[] positions, int count) {}
}
