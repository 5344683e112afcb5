package io.warrenmq.server.amqp.channel;

import io.warrenmq.amqp.method.BasicAck;
import io.warrenmq.amqp.method.BasicNack;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.store.sync.GroupCommitter;
import io.warrenmq.store.sync.Syncable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Publisher confirms (RabbitMQ's confirm.select extension) with group commit: the publishes of
 * one read batch form a batch; a batch that stored persistent messages in durable queues waits for
 * the group committer to force those queues' stores, then the whole batch is confirmed with as few
 * frames as possible ({@code basic.ack multiple=true}, individual {@code basic.nack}s for rejected
 * messages). Batches are confirmed in order, so {@code multiple=true} is always truthful. A batch
 * that needs no fsync is confirmed at the end of its read batch, without delay.
 *
 * <p>Threading: confined to the connection's event loop; commit callbacks hop back onto it.
 */
final class ConfirmTracker {
  private final int channel;
  private final FrameSink sink;
  private final GroupCommitter committer;
  private final Runnable markDirty;
  private final MessageCounts counts;
  private final ArrayDeque<Batch> pending = new ArrayDeque<>();
  private long nextSeq = 1;
  private long lastConfirmed;
  private @Nullable Batch open;
  private boolean closed;

  /**
   * @param counts the channel's counters: confirms are counted as they go out
   * @param markDirty asks the connection to call {@link #flushBatch()} at the end of the read batch */
  ConfirmTracker(int channel, FrameSink sink, GroupCommitter committer, Runnable markDirty, MessageCounts counts) {
    this.channel = channel;
    this.counts = counts;
    this.sink = sink;
    this.committer = committer;
    this.markDirty = markDirty;
  }

  private static final class Batch {
    long upTo;
    int waiting;
    boolean failed;
    final List<Long> nacks = new ArrayList<>(0);
    final Set<Syncable> targets = Collections.newSetFromMap(new IdentityHashMap<>());
  }

  /** Assigns the next publish sequence number (the delivery tag its confirm will carry). */
  long next() {
    if (open == null) {
      open = new Batch();
      markDirty.run();
    }
    long seq = nextSeq++;
    open.upTo = seq;
    return seq;
  }

  /** The message {@code seq} of the open batch is refused. */
  void nack(long seq) {
    if (open != null) {
      open.nacks.add(seq);
    }
  }

  /** The open batch may be confirmed only after {@code target} has been forced. */
  void needSync(Syncable target) {
    if (open != null) {
      open.targets.add(target);
    }
  }

  /** End of a read batch: hands the open batch to the committer (or confirms it at once). */
  void flushBatch() {
    Batch b = open;
    if (b == null || closed) {
      return;
    }
    open = null;
    pending.add(b);
    b.waiting = b.targets.size();
    for (Syncable t : b.targets) {
      committer.submit(
          t,
          () -> sink.executor().execute(() -> synced(b)),
          e -> sink.executor().execute(() -> {
            b.failed = true;
            synced(b);
          }));
    }
    b.targets.clear();
    drain();
  }

  private void synced(Batch b) {
    b.waiting--;
    if (!closed) {
      drain();
      sink.flush();
    }
  }

  private void drain() {
    while (!pending.isEmpty() && pending.peek().waiting <= 0) {
      emit(pending.poll());
    }
  }

  private void emit(Batch b) {
    if (!b.failed) {
      // rabbit_channel send_confirms_and_nacks counts each confirmed publish (not the nacked ones)
      counts.add(MessageCounts.CONFIRM, b.upTo - lastConfirmed - b.nacks.size());
    }
    if (b.failed) {
      sink.writeMethod(channel, new BasicNack(b.upTo, b.upTo - lastConfirmed > 1, false));
      lastConfirmed = b.upTo;
      return;
    }
    for (long n : b.nacks) {
      if (n - 1 > lastConfirmed) {
        sink.writeMethod(channel, new BasicAck(n - 1, n - 1 - lastConfirmed > 1));
      }
      sink.writeMethod(channel, new BasicNack(n, false, false));
      lastConfirmed = n;
    }
    if (b.upTo > lastConfirmed) {
      sink.writeMethod(channel, new BasicAck(b.upTo, b.upTo - lastConfirmed > 1));
      lastConfirmed = b.upTo;
    }
  }

  /** Publishes given a sequence number and not yet confirmed; from any thread (possibly stale). */
  long unconfirmed() {
    return nextSeq - 1 - lastConfirmed;
  }

  /** The channel closed: nothing more is confirmed. */
  void close() {
    closed = true;
    pending.clear();
    open = null;
  }
}
