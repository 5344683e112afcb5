package io.warrenmq.cluster.quorum;

import io.warrenmq.cluster.quorum.QuorumCommands.Command;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A quorum queue's state, the same on every member: what the applied log entries made of it. Its
 * messages are numbered in the order their entries were committed ({@code seq}); the bodies are in
 * the member's {@link QuorumLog}, and what the state keeps per waiting message is one bit (settled
 * or not). Only returned messages carry more: their failed-delivery count.
 *
 * <p>Which message is out to which consumer is not replicated: the leader alone knows, and a new
 * leader hands out again every message not settled, marked redelivered if the log says it was
 * delivered before ({@link #deliveredThrough}, which every entry of the leader carries: what it
 * delivered in the last round trip before it failed is handed out again without the flag).
 *
 * <p>Threading: guarded by the queue's lock (applied on Ratis' apply thread, read by the leader's
 * deliveries and the counts).
 */
final class QuorumState {
  /** The sequence number the next enqueued message gets. */
  private long nextSeq;
  private final SettledSeqs settled = new SettledSeqs();
  /** Failed deliveries of messages returned to the queue (x-delivery-count). */
  private final Map<Long, Integer> failures = new HashMap<>();
  /** The highest sequence number a leader reported delivered. */
  private long deliveredThrough = -1;
  /** First record index of each segment of the member's log -> sequence number of its first message. */
  private final TreeMap<Long, Long> segmentSeqs = new TreeMap<>();
  private long lastApplied = -1;
  private final int deliveryLimit;
  private final long maxLength;
  private final boolean rejectPublish;

  /** What applying an entry did that the node must act on ({@code refused}: publishes over the length limit). */
  record Applied(long firstSeq, int enqueued, long purged, int dropped, int refused) {}

  /**
   * @param deliveryLimit failed deliveries after which a message is dropped; negative for none
   * @param maxLength x-max-length, negative for none
   * @param rejectPublish x-overflow reject-publish (else drop-head)
   */
  QuorumState(int deliveryLimit, long maxLength, boolean rejectPublish) {
    this.deliveryLimit = deliveryLimit;
    this.maxLength = maxLength;
    this.rejectPublish = rejectPublish;
  }

  /**
   * Back to the state before any entry: for a node that leaves the group (its log and bodies are
   * deleted) and may join it again, when it applies the whole log anew.
   */
  void clear() {
    nextSeq = 0;
    settled.clear();
    failures.clear();
    deliveredThrough = -1;
    segmentSeqs.clear();
    lastApplied = -1;
  }

  QuorumState(int deliveryLimit) {
    this(deliveryLimit, -1, false);
  }

  /**
   * Applies entry {@code index}; {@code segment} is the first index of the log segment that holds
   * its bodies (if it has any and the segment is still there).
   */
  Applied apply(long index, List<Command> commands, long segment) {
    long firstSeq = nextSeq;
    int enqueued = 0;
    long purged = 0;
    int dropped = 0;
    int refused = 0;
    for (Command c : commands) {
      switch (c.kind()) {
        case QuorumCommands.ENQUEUE -> {
          if (segment >= 0 && !segmentSeqs.containsKey(segment)) {
            segmentSeqs.put(segment, nextSeq);
          }
          long first = nextSeq;
          nextSeq += c.count();
          enqueued += c.count();
          if (maxLength >= 0 && rejectPublish) {
            // the entry's first messages up to the limit are taken, the rest refused (numbered, settled at once)
            long room = Math.max(0, maxLength - (messages() - c.count()));
            for (long s = first + Math.min(room, c.count()); s < nextSeq; s++) {
              settle(s);
              refused++;
            }
          } else if (maxLength >= 0) {
            for (long s = settled.floor(); messages() > maxLength && s < nextSeq; s++) {
              if (!settled.isSettled(s)) {
                settle(s); // drop-head: the oldest go
                dropped++;
              }
            }
          }
        }
        case QuorumCommands.SETTLE -> {
          deliveredThrough = Math.max(deliveredThrough, c.mark());
          for (long s : c.seqs()) {
            settle(s);
          }
        }
        case QuorumCommands.RETURN -> {
          for (long s : c.seqs()) {
            deliveredThrough = Math.max(deliveredThrough, s);
            if (c.failed() && !settled.isSettled(s) && s < nextSeq) {
              int n = failures.merge(s, 1, Integer::sum);
              if (deliveryLimit >= 0 && n > deliveryLimit) {
                settle(s);
                dropped++;
              }
            }
          }
        }
        case QuorumCommands.PURGE -> purged += purge(c.mark(), c.seqs());
        default -> throw new IllegalArgumentException("unknown command " + c.kind());
      }
    }
    lastApplied = index;
    return new Applied(firstSeq, enqueued, purged, dropped, refused);
  }

  private void settle(long s) {
    if (s < nextSeq && settled.settle(s)) {
      failures.remove(s);
    }
  }

  private long purge(long below, long[] keep) {
    java.util.Arrays.sort(keep);
    long n = 0;
    long end = Math.min(below, nextSeq);
    for (long s = settled.floor(); s < end; s++) {
      if (java.util.Arrays.binarySearch(keep, s) < 0 && !settled.isSettled(s)) {
        settle(s);
        n++;
      }
    }
    return n;
  }

  /** The first segment that can go (every message in it settled), or -1. */
  long deletableSegment() {
    if (segmentSeqs.size() < 2) {
      return -1;
    }
    Map.Entry<Long, Long> first = segmentSeqs.firstEntry();
    Map.Entry<Long, Long> second = segmentSeqs.higherEntry(first.getKey());
    return second.getValue() <= settled.floor() ? first.getKey() : -1;
  }

  void segmentDeleted(long segment) {
    segmentSeqs.remove(segment);
  }

  /** The sequence number of the first message in the segment that starts at {@code segment}, or -1. */
  long firstSeqOf(long segment) {
    Long s = segmentSeqs.get(segment);
    return s == null ? -1 : s;
  }

  /** The first segment with messages, or -1. */
  long firstSegment() {
    return segmentSeqs.isEmpty() ? -1 : segmentSeqs.firstKey();
  }

  boolean isSettled(long seq) {
    return seq >= nextSeq || settled.isSettled(seq);
  }

  long floor() {
    return settled.floor();
  }

  long nextSeq() {
    return nextSeq;
  }

  long lastApplied() {
    return lastApplied;
  }

  long deliveredThrough() {
    return deliveredThrough;
  }

  int failures(long seq) {
    return failures.getOrDefault(seq, 0);
  }

  /** What quorum_status shows of the state. */
  void describe(java.util.Map<String, Object> m) {
    m.put("last applied", lastApplied);
    m.put("next seq", nextSeq);
    m.put("settled below", settled.floor());
    m.put("messages", messages());
    m.put("delivery mark", deliveredThrough);
    m.put("returned with failures", failures.size());
    m.put("segments", segmentSeqs.toString());
  }

  /** Messages not settled (ready and out to consumers). */
  long messages() {
    return nextSeq - settled.base() - settled.settledAboveBase();
  }
}
