package io.warrenmq.cluster.quorum;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.consumer.MessageSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The leader's side of a quorum queue: it hands the applied, unsettled messages to the consumers
 * attached on this node (link consumers of other nodes included), round-robin within their credit,
 * returned messages first, and keeps what is out until it is settled. Followers keep none of this.
 * What is ready comes from {@link ReadyMessages} (a cursor over the member's {@link QuorumLog});
 * what is out is a map bounded by the consumers' prefetch, so nothing here grows with the queue's
 * depth. Rejected and over-the-delivery-limit messages are dead-lettered if the queue says so.
 *
 * <p>Threading: guarded by the queue's lock (the {@link QuorumQueue}'s monitor).
 */
final class Deliveries {

  private final MessageSource source;
  private final QuorumState state;
  private final CommandPipe pipe;
  private final boolean singleActive;
  private final @Nullable QuorumDeadLetters deadLetters;
  private final List<Consumer> consumers = new ArrayList<>();
  private int next;
  private final Map<Long, Out> out = new HashMap<>();
  /** What is ready to be handed out, in order. */
  private final ReadyMessages ready;

  /** A message out to a consumer (null: basic.get) or returned, and where its record is. */
  record Out(long seq, long segment, long offset, int ordinal, @Nullable Consumer consumer, int failures) {}

  /** A message taken: its delivery and whether it was delivered before. */
  record Taken(Out where, ByteBuf record, boolean redelivered, int failures) {}

  /**
   * The delivery limit is the state's ({@link QuorumState#config}): a message returned once more
   * than it allows is dropped (dead-lettered if {@code deadLetters} has an exchange).
   */
  Deliveries(MessageSource source, QuorumState state, ByteBufAllocator alloc, CommandPipe pipe, boolean singleActive,
      @Nullable QuorumDeadLetters deadLetters) {
    this.singleActive = singleActive;
    this.deadLetters = deadLetters;
    this.source = source;
    this.state = state;
    this.pipe = pipe;
    this.ready = new ReadyMessages(state, alloc, pipe, deadLetters, out::containsKey);
  }

  boolean active() {
    return ready.active();
  }

  /** This node leads now: hand out every unsettled message, from the oldest. */
  void activate(QuorumLog log) {
    ready.activate(log);
    out.clear();
  }

  /** This node no longer leads: what is out is the new leader's to hand out again. */
  List<Consumer> deactivate() {
    ready.deactivate();
    List<Consumer> gone = List.copyOf(consumers);
    consumers.clear();
    out.clear();
    return gone;
  }

  /** See {@link ReadyMessages#expireHead}. */
  void expireHead() throws IOException {
    ready.expireHead();
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
    if (!ready.active() || consumers.isEmpty()) {
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
      Taken t = ready.take(c);
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
      pipe.settle(new long[] {seq}, 1, ready.deliveredThrough());
    } else {
      out.put(seq, t.where());
    }
    c.target().deliver(c, new Delivery(c, source, seq, t.redelivered(), t.failures() + 1, c.noAck(), t.record()));
  }

  /** basic.get: the next ready message, or null. */
  @Nullable Delivery get(boolean noAck) throws IOException {
    if (!ready.active()) {
      return null;
    }
    Taken t = ready.take(null);
    if (t == null) {
      return null;
    }
    long seq = t.where().seq();
    if (noAck) {
      pipe.settle(new long[] {seq}, 1, ready.deliveredThrough());
    } else {
      out.put(seq, t.where());
    }
    return new Delivery(null, source, seq, t.redelivered(), t.failures() + 1, noAck, t.record());
  }

  /** Acknowledged (or rejected) deliveries: no longer out, settled in the log. */
  void ack(@Nullable Consumer consumer, long[] positions, int count) {
    for (int i = 0; i < count; i++) {
      settled(positions[i]);
    }
    if (consumer != null) {
      consumer.settled(count);
    }
    pipe.settle(positions, count, ready.deliveredThrough());
  }

  /** Rejected without requeue: settled, dead-lettered if the queue has a dead-letter exchange. */
  void reject(@Nullable Consumer consumer, long[] positions, int count) throws IOException {
    if (deadLetters != null && deadLetters.enabled()) {
      for (int i = 0; i < count; i++) {
        Out o = out.get(positions[i]);
        ByteBuf record = o == null ? null : ready.recordOf(o);
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
      int limit = state.config().deliveryLimit();
      if (limit >= 0 && Math.max(state.failures(o.seq()), o.failures()) + 1 > limit) {
        ByteBuf record = ready.recordOf(o);
        if (record != null) {
          ready.drop(record, "delivery_limit");
        }
      } else {
        ready.putBack(o, true);
      }
    }
    if (consumer != null) {
      consumer.settled(count);
    }
    pipe.returned(positions, count, true);
  }

  /** Settled by its consumer (or a get): no longer out; what was out, or null. */
  private @Nullable Out settled(long seq) {
    return out.remove(seq);
  }

  /** What quorum_status shows of the leader's side. */
  void describe(java.util.Map<String, Object> m) {
    m.put("delivering", ready.active());
    m.put("consumers here", consumers.size());
    m.put("out", out.size());
    ready.describe(m);
  }
}
