package io.warrenmq.cluster.quorum;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.consumer.MessageSource;
import io.warrenmq.broker.message.StoredRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The leader's side of a quorum queue: it hands the applied, unsettled messages to the consumers
 * attached on this node (link consumers of other nodes included), round-robin within their credit,
 * returned messages first, and keeps what is out until it is settled. Followers keep none of this.
 * The messages are read from the member's {@link QuorumLog} in order with a cursor; what is out
 * is a map bounded by the consumers' prefetch, so nothing here grows with the queue's depth.
 *
 * <p>Threading: guarded by the queue's lock (the {@link QuorumQueue}'s monitor).
 */
final class Deliveries {

  private final MessageSource source;
  private final QuorumState state;
  private final ByteBufAllocator alloc;
  private final CommandPipe pipe;
  private final boolean singleActive;
  private final int deliveryLimit;
  private final @Nullable QuorumDeadLetters deadLetters;
  private final List<Consumer> consumers = new ArrayList<>();
  private int next;
  private @Nullable QuorumLog bodies;
  private long redeliveredThrough = -1;
  private long deliveredThrough = -1;
  private long expired;
  private final ArrayDeque<Out> returned = new ArrayDeque<>();
  private final Map<Long, Out> out = new HashMap<>();
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

  /** A message out to a consumer (null: basic.get) or returned, and where its record is. */
  record Out(long seq, long segment, long offset, int ordinal, @Nullable Consumer consumer, int failures) {}

  /** A message taken: its delivery and whether it was delivered before. */
  record Taken(Out where, ByteBuf record, boolean redelivered, int failures) {}

  /**
   * @param deliveryLimit failed deliveries after which a message is dropped (dead-lettered if
   *     {@code deadLetters}); negative for none
   */
  Deliveries(MessageSource source, QuorumState state, ByteBufAllocator alloc, CommandPipe pipe, boolean singleActive,
      int deliveryLimit, @Nullable QuorumDeadLetters deadLetters) {
    this.singleActive = singleActive;
    this.deliveryLimit = deliveryLimit;
    this.deadLetters = deadLetters;
    this.source = source;
    this.state = state;
    this.alloc = alloc;
    this.pipe = pipe;
  }

  boolean active() {
    return bodies != null;
  }

  /** This node leads now: hand out every unsettled message, from the oldest. */
  void activate(QuorumLog log) {
    bodies = log;
    redeliveredThrough = state.deliveredThrough();
    deliveredThrough = Math.max(deliveredThrough, state.deliveredThrough());
    current = null;
    ahead = null;
    returned.clear();
    out.clear();
  }

  /** This node no longer leads: what is out is the new leader's to hand out again. */
  List<Consumer> deactivate() {
    bodies = null;
    List<Consumer> gone = List.copyOf(consumers);
    consumers.clear();
    out.clear();
    returned.clear();
    current = null;
    ahead = null;
    return gone;
  }

  void add(Consumer c) {
    consumers.add(c);
  }

  boolean remove(Consumer c) {
    return consumers.remove(c);
  }

  List<Consumer> consumers() {
    return List.copyOf(consumers);
  }

  int unacked() {
    return out.size();
  }

  long[] outSeqs() {
    return out.keySet().stream().mapToLong(Long::longValue).toArray();
  }

  /** Hands messages to consumers while one has credit and a message is ready. */
  void dispatch() throws IOException {
    if (bodies == null || consumers.isEmpty()) {
      return;
    }
    int idle = 0;
    // x-single-active-consumer: the first attached takes everything, the others wait their turn
    int eligible = singleActive ? 1 : consumers.size();
    while (idle < eligible) {
      Consumer c = consumers.get(singleActive ? 0 : next % consumers.size());
      next = (next + 1) % Math.max(1, consumers.size());
      if (!c.tryTakeCredit()) {
        idle++;
        continue;
      }
      Taken t = take(c);
      if (t == null) {
        c.refundCredit();
        return;
      }
      idle = 0;
      deliver(c, t);
    }
  }

  private void deliver(Consumer c, Taken t) {
    long seq = t.where().seq();
    if (c.noAck()) {
      pipe.settle(new long[] {seq}, 1, deliveredThrough);
    } else {
      out.put(seq, t.where());
    }
    c.target().deliver(c, new Delivery(c, source, seq, t.redelivered(), t.failures() + 1, c.noAck(), t.record()));
  }

  /** basic.get: the next ready message, or null. */
  @Nullable Delivery get(boolean noAck) throws IOException {
    if (bodies == null) {
      return null;
    }
    Taken t = take(null);
    if (t == null) {
      return null;
    }
    long seq = t.where().seq();
    if (noAck) {
      pipe.settle(new long[] {seq}, 1, deliveredThrough);
    } else {
      out.put(seq, t.where());
    }
    return new Delivery(null, source, seq, t.redelivered(), t.failures() + 1, noAck, t.record());
  }

  /** The next message to hand out: returned ones first, then the cursor's; null if none is ready. */
  private @Nullable Taken take(@Nullable Consumer to) throws IOException {
    QuorumLog log = bodies;
    if (log == null) {
      return null;
    }
    Ahead a = ahead;
    if (a != null) {
      ahead = null;
      Out r = a.where();
      QuorumLog.Entry e = state.isSettled(r.seq()) || out.containsKey(r.seq()) ? null : log.at(r.segment(), r.offset());
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
      if (state.isSettled(seq) || out.containsKey(seq)) {
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
   * x-message-ttl or its expiration ran out while it waited; it is dropped (no dead-lettering yet).
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
  private void drop(ByteBuf record, String reason) {
    if (deadLetters != null) {
      deadLetters.add(record, reason);
    } else {
      record.release();
    }
  }

  /** The record of a message that is out or returned, read again; null if its segment is gone. */
  private @Nullable ByteBuf recordOf(Out o) throws IOException {
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
      e = log.next(seg, 0);
      firstSeq = state.firstSeqOf(seg);
      if (e != null && e.segment() != seg) {
        firstSeq = state.firstSeqOf(e.segment());
      }
    } else {
      e = log.next(current.segment(), current.next());
      firstSeq = currentFirstSeq + current.count();
    }
    if (e == null || e.index() > state.lastApplied() || firstSeq < 0) {
      return false;
    }
    current = e;
    currentFirstSeq = firstSeq;
    ordinal = 0;
    offsetInPayload = 0;
    return true;
  }

  /** Acknowledged (or rejected) deliveries: no longer out, settled in the log. */
  void ack(@Nullable Consumer consumer, long[] positions, int count) {
    for (int i = 0; i < count; i++) {
      settled(positions[i]);
    }
    if (consumer != null) {
      consumer.settled(count);
    }
    pipe.settle(positions, count, deliveredThrough);
  }

  /** Rejected without requeue: settled, dead-lettered if the queue has a dead-letter exchange. */
  void reject(@Nullable Consumer consumer, long[] positions, int count) throws IOException {
    if (deadLetters != null) {
      for (int i = 0; i < count; i++) {
        Out o = out.get(positions[i]);
        ByteBuf record = o == null ? null : recordOf(o);
        if (record != null) {
          deadLetters.add(record, "rejected");
        }
      }
    }
    ack(consumer, positions, count);
  }

  /**
   * Deliveries given back: handed out again first, each counting a failed delivery, and so in the
   * log; one past the delivery limit is dropped instead (the log's return drops it on every member).
   */
  void requeue(@Nullable Consumer consumer, long[] positions, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      Out o = settled(positions[i]);
      if (o == null) {
        continue;
      }
      if (deliveryLimit >= 0 && Math.max(state.failures(o.seq()), o.failures()) + 1 > deliveryLimit) {
        ByteBuf record = recordOf(o);
        if (record != null) {
          drop(record, "delivery_limit");
        }
      } else {
        putBack(o, true);
      }
    }
    if (consumer != null) {
      consumer.settled(count);
    }
    pipe.returned(positions, count, true);
  }

  /** Settled by its consumer (or a get): no longer out. Returns whether it was out here. */
  @Nullable Out settled(long seq) {
    return out.remove(seq);
  }

  /** Back to the queue, ahead of the messages never delivered; {@code failed} counts one more failed delivery. */
  void putBack(Out o, boolean failed) {
    int f = Math.max(state.failures(o.seq()), o.failures()) + (failed ? 1 : 0);
    returned.add(new Out(o.seq(), o.segment(), o.offset(), o.ordinal(), null, f));
  }

  /** Everything out to {@code c}: it is gone. */
  List<Out> outTo(Consumer c) {
    List<Out> l = new ArrayList<>();
    for (Out o : out.values()) {
      if (o.consumer() == c) {
        l.add(o);
      }
    }
    return l;
  }

  long deliveredThrough() {
    return deliveredThrough;
  }

  /** What quorum_status shows of the leader's side. */
  void describe(java.util.Map<String, Object> m) {
    m.put("delivering", bodies != null);
    m.put("consumers here", consumers.size());
    m.put("out", out.size());
    m.put("returned", returned.size());
    m.put("expired here", expired);
    m.put("delivered through", deliveredThrough);
    QuorumLog.Entry c = current;
    m.put("cursor", c == null ? "-" : "entry " + c.index() + " (segment " + c.segment() + " at " + c.offset()
        + "), message " + ordinal + " of " + c.count() + ", first seq " + currentFirstSeq);
  }
}
