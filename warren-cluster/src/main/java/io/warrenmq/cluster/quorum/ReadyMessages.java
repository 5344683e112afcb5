package io.warrenmq.cluster.quorum;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.message.StoredRecords;
import io.warrenmq.cluster.quorum.Deliveries.Out;
import io.warrenmq.cluster.quorum.Deliveries.Taken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The leader's read side of a quorum queue: the messages ready to be handed out, in order. Returned
 * messages come first, then the cursor that reads the member's {@link QuorumLog} record after
 * record; the head may be read ahead (its place only) to watch its expiry. Expired messages are
 * dropped (or dead-lettered) on the way, and settled in the log. Nothing here grows with the
 * queue's depth: the returned ones are bounded by the consumers' prefetch.
 *
 * <p>Threading: guarded by the queue's lock, as {@link Deliveries}.
 */
final class ReadyMessages {
  private final QuorumState state;
  private final ByteBufAllocator alloc;
  private final CommandPipe pipe;
  private final @Nullable QuorumDeadLetters deadLetters;
  /** Whether a message is out to a consumer (the deliveries' map): not ready. */
  private final LongPredicate isOut;
  private @Nullable QuorumLog bodies;
  private long redeliveredThrough = -1;
  private long deliveredThrough = -1;
  private long expired;
  private final ArrayDeque<Out> returned = new ArrayDeque<>();
  // the cursor: the record being handed out and where in it
  private QuorumLog.@Nullable Entry current;
  private long currentFirstSeq;
  private int ordinal;
  private int offsetInPayload;
  /** The next message, read ahead by {@link #expireHead} and not handed out yet (no record kept). */
  private @Nullable Ahead ahead;
  private boolean peeking;

  /** The head as {@link #expireHead} left it: where it is, when it expires (0: never), its flag. */
  private record Ahead(Out where, long expiresAt, boolean redelivered) {}

  ReadyMessages(QuorumState state, ByteBufAllocator alloc, CommandPipe pipe, @Nullable QuorumDeadLetters deadLetters,
      LongPredicate isOut) {
    this.state = state;
    this.alloc = alloc;
    this.pipe = pipe;
    this.deadLetters = deadLetters;
    this.isOut = isOut;
  }

  boolean active() {
    return bodies != null;
  }

  /** This node leads now: every unsettled message is ready, from the oldest. */
  void activate(QuorumLog log) {
    bodies = log;
    redeliveredThrough = state.deliveredThrough();
    deliveredThrough = Math.max(deliveredThrough, state.deliveredThrough());
    current = null;
    ahead = null;
    returned.clear();
  }

  /** This node no longer leads. */
  void deactivate() {
    bodies = null;
    returned.clear();
    current = null;
    ahead = null;
  }

  /** The highest number handed out so far (the delivery mark). */
  long deliveredThrough() {
    return deliveredThrough;
  }

  /** The next message to hand out: returned ones first, then the cursor's; null if none is ready. */
  @Nullable Taken take(@Nullable Consumer to) throws IOException {
    QuorumLog log = bodies;
    if (log == null) {
      return null;
    }
    Ahead a = ahead;
    if (a != null) {
      ahead = null;
      Out r = a.where();
      QuorumLog.Entry e = state.isSettled(r.seq()) || isOut.test(r.seq()) ? null : log.at(r.segment(), r.offset());
      if (e != null) {
        ByteBuf record = slice(e.payload(), r.ordinal());
        if (!expire(r.seq(), a.expiresAt(), record)) {
          delivering(r.seq());
          return taken(new Out(r.seq(), r.segment(), r.offset(), r.ordinal(), to, r.failures()), record,
              a.redelivered());
        }
      }
    }
    for (Out r; (r = returned.poll()) != null; ) {
      if (state.isSettled(r.seq())) {
        continue;
      }
      QuorumLog.Entry e = log.at(r.segment(), r.offset());
      if (e == null) {
        continue;
      }
      ByteBuf record = slice(e.payload(), r.ordinal());
      if (expire(r.seq(), StoredRecords.expiresAt(record), record)) {
        continue;
      }
      return taken(new Out(r.seq(), r.segment(), r.offset(), r.ordinal(), to, r.failures()), record, true);
    }
    while (true) {
      if (current == null || ordinal >= current.count()) {
        if (!advance(log)) {
          return null;
        }
        continue;
      }
      ByteBuffer p = current.payload();
      int len = p.getInt(offsetInPayload);
      int at = offsetInPayload + 4;
      offsetInPayload = at + len;
      long seq = currentFirstSeq + ordinal;
      int ord = ordinal++;
      if (state.isSettled(seq) || isOut.test(seq)) {
        continue;
      }
      if (!peeking) {
        delivering(seq);
      }
      long expiresAt = p.getLong(at + StoredRecords.EXPIRES_AT_OFFSET);
      ByteBuf record = alloc.buffer(len);
      record.writeBytes(p.duplicate().position(at).limit(at + len));
      if (expire(seq, expiresAt, record)) {
        continue;
      }
      return taken(new Out(seq, current.segment(), current.offset(), ord, to, 0), record, seq <= redeliveredThrough);
    }
  }

  /**
   * Settles message {@code seq} if its deadline ({@code expiresAt}, epoch ms, 0 = never) has passed:
   * x-message-ttl or its expiration ran out while it waited; it is dropped (or dead-lettered).
   * The deadline was set by the node that took the publish, so every member drops the same ones.
   * An expired {@code record} is taken over (dead-lettered or released), else left to the caller.
   */
  private boolean expire(long seq, long expiresAt, ByteBuf record) {
    if (expiresAt == 0 || expiresAt > System.currentTimeMillis()) {
      return false;
    }
    drop(record, "expired");
    pipe.settle(new long[] {seq}, 1, deliveredThrough);
    expired++;
    return true;
  }

  /** A message that leaves the queue unconsumed: to the dead-letter exchange if there is one. */
  void drop(ByteBuf record, String reason) {
    if (deadLetters != null) {
      deadLetters.add(record, reason);
    } else {
      record.release();
    }
  }

  /** The record of a message that is out or returned, read again; null if its segment is gone. */
  @Nullable ByteBuf recordOf(Out o) throws IOException {
    QuorumLog log = bodies;
    QuorumLog.Entry e = log == null ? null : log.at(o.segment(), o.offset());
    return e == null ? null : slice(e.payload(), o.ordinal());
  }

  /**
   * Drops the expired messages at the head of the queue, consumers or not (RabbitMQ's quorum queues
   * expire messages at the head only); the first that has not expired is read ahead (its place
   * only) and handed out first.
   */
  void expireHead() throws IOException {
    if (bodies == null) {
      return;
    }
    Ahead a = ahead;
    if (a != null && !state.isSettled(a.where().seq())
        && (a.expiresAt() == 0 || a.expiresAt() > System.currentTimeMillis())) {
      return;
    }
    peeking = true; // read ahead, not delivered: the delivery mark stays
    Taken t;
    try {
      t = take(null); // drops the expired ones on its way
    } finally {
      peeking = false;
    }
    if (t != null) {
      ahead = new Ahead(t.where(), StoredRecords.expiresAt(t.record()), t.redelivered());
      t.record().release();
    }
  }

  /** Message {@code seq} goes out: the delivery mark moves past it. */
  private void delivering(long seq) {
    deliveredThrough = Math.max(deliveredThrough, seq);
    if (deliveredThrough > state.deliveredThrough()) {
      pipe.mark(deliveredThrough); // with the next entry: a new leader flags what this one delivered
    }
  }

  private Taken taken(Out where, ByteBuf record, boolean redelivered) {
    // the state counts a failed delivery once its return is applied; this leader counted it at once
    int failures = Math.max(state.failures(where.seq()), where.failures());
    if (failures > 0) {
      ByteBuf counted = StoredRecords.withDeliveryCount(record, failures, alloc);
      record.release();
      record = counted;
    }
    return new Taken(where, record, redelivered || failures > 0, failures);
  }

  private static ByteBuf slice(ByteBuffer payload, int ordinal) {
    int pos = 0;
    for (int i = 0; i < ordinal; i++) {
      pos += 4 + payload.getInt(pos);
    }
    int len = payload.getInt(pos);
    byte[] b = new byte[len];
    payload.get(pos + 4, b);
    return io.netty.buffer.Unpooled.wrappedBuffer(b);
  }

  /** Moves the cursor to the next applied record; false if there is none yet. */
  private boolean advance(QuorumLog log) throws IOException {
    QuorumLog.Entry e;
    long firstSeq;
    if (current == null) {
      long seg = state.firstSegment();
      if (seg < 0) {
        return false;
      }
      e = skipStale(log, log.next(seg, 0));
      firstSeq = e == null ? -1 : state.firstSeqOf(e.segment());
    } else {
      e = skipStale(log, log.next(current.segment(), current.next()));
      firstSeq = currentFirstSeq + current.count();
    }
    // a record past the last applied publishes is not one yet (or is one no entry will apply)
    if (e == null || e.index() > state.lastEnqueued() || firstSeq < 0) {
      return false;
    }
    current = e;
    currentFirstSeq = firstSeq;
    ordinal = 0;
    offsetInPayload = 0;
    return true;
  }

  /** The first record from {@code e} on that an applied entry wrote (see {@link QuorumLog#recordsBefore}). */
  private QuorumLog.@Nullable Entry skipStale(QuorumLog log, QuorumLog.@Nullable Entry e) throws IOException {
    while (e != null && state.isStale(e.index())) {
      e = log.next(e.segment(), e.next());
    }
    return e;
  }

  /** Back to the queue, ahead of the messages never delivered; {@code failed} counts one more failed delivery. */
  void putBack(Out o, boolean failed) {
    int f = Math.max(state.failures(o.seq()), o.failures()) + (failed ? 1 : 0);
    returned.add(new Out(o.seq(), o.segment(), o.offset(), o.ordinal(), null, f));
  }

  /** What quorum_status shows of it. */
  void describe(java.util.Map<String, Object> m) {
    m.put("returned", returned.size());
    m.put("expired here", expired);
    m.put("delivered through", deliveredThrough);
    QuorumLog.Entry c = current;
    m.put("cursor", c == null ? "-" : "entry " + c.index() + " (segment " + c.segment() + " at " + c.offset()
        + "), message " + ordinal + " of " + c.count() + ", first seq " + currentFirstSeq);
  }
}
