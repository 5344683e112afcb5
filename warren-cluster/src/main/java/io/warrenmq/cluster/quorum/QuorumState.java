package io.warrenmq.cluster.quorum;

import io.warrenmq.cluster.quorum.QuorumCommands.Command;
import io.warrenmq.broker.policy.EffectiveArguments;
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
  /** The last applied entry with publishes (its record is the last one the leader may hand out). */
  private long lastEnqueued = -1;
  /** Records of the member's log that belong to no entry of the Raft log ({@link QuorumLog#recordsBefore}). */
  private final java.util.TreeSet<Long> stale = new java.util.TreeSet<>();
  /** The limits as the queue's arguments set them, before any CONFIG entry. */
  private final Config declared;
  /** The limits now: the arguments', or the last CONFIG entry's (policies). */
  private Config config;

  /** What applying an entry did that the node must act on ({@code refused}: publishes over the length limit). */
  record Applied(long firstSeq, int enqueued, long purged, int dropped, int refused) {}

  /** @param declared the limits the queue's arguments set */
  QuorumState(Config declared) {
    this.declared = declared;
    this.config = declared;
  }

  /**
   * The limits the state applies, the same on every member: set by the queue's arguments, then by
   * the CONFIG entries a leader logs when the queue's policies change them.
   *
   * @param deliveryLimit failed deliveries after which a message is dropped; negative for none
   * @param maxLength the most messages the queue holds; negative for no limit
   * @param rejectPublish what a full queue does: refuse publishes (else it drops its head)
   */
  record Config(int deliveryLimit, long maxLength, boolean rejectPublish) {
    /**
     * The limits of a queue's effective settings (RabbitMQ 4's quorum-queue defaults: a delivery
     * limit of 20, a negative one for none; drop-head but with reject-publish).
     */
    static Config of(EffectiveArguments e) {
      Object l = e.get("delivery-limit");
      Long limit = l == null ? null : io.warrenmq.amqp.types.FieldTable.integral(l);
      long max = e.getLong("max-length", -1);
      return new Config(limit == null ? 20 : (int) Math.max(-1, Math.min(Integer.MAX_VALUE, limit)),
          max < 0 ? -1 : max, "reject-publish".equals(e.getString("overflow")));
    }
  }

  Config config() {
    return config;
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
    lastEnqueued = -1;
    stale.clear();
    config = declared;
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
          long maxLength = config.maxLength();
          if (maxLength >= 0 && config.rejectPublish()) {
            // the entry's first messages up to the limit are taken, the rest refused (numbered, settled at once)
            long room = Math.max(0, maxLength - (messages() - c.count()));
            for (long s = first + Math.min(room, c.count()); s < nextSeq; s++) {
              settle(s);
              refused++;
            }
          } else if (maxLength >= 0) {
            dropped += dropHead(maxLength);
          }
        }
        case QuorumCommands.CONFIG -> {
          config = new Config(c.count(), c.mark(), c.failed());
          if (config.maxLength() >= 0 && !config.rejectPublish()) {
            dropped += dropHead(config.maxLength()); // a lower limit applies at once
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
              if (config.deliveryLimit() >= 0 && n > config.deliveryLimit()) {
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
    if (enqueued > 0) {
      lastEnqueued = index;
    }
    return new Applied(firstSeq, enqueued, purged, dropped, refused);
  }

  private void settle(long s) {
    if (s < nextSeq && settled.settle(s)) {
      failures.remove(s);
    }
  }

  /** drop-head: the oldest messages are settled until the queue holds at most {@code maxLength}; how many. */
  private int dropHead(long maxLength) {
    int dropped = 0;
    for (long s = settled.floor(); messages() > maxLength && s < nextSeq; s++) {
      if (!settled.isSettled(s)) {
        settle(s);
        dropped++;
      }
    }
    return dropped;
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
    if (!segmentSeqs.isEmpty()) {
      stale.headSet(segmentSeqs.firstKey()).clear();
    }
  }

  /**
   * Before entry {@code index}, which carries publishes, is applied: the records of {@code bodies}
   * between the last applied one and its own belong to no entry ({@link QuorumLog#recordsBefore})
   * and are skipped from now on, else the messages after them would be numbered wrong.
   */
  QuorumLog.Between checkRecords(QuorumLog bodies, long index) throws java.io.IOException {
    QuorumLog.Between b = bodies.recordsBefore(lastEnqueued, index);
    for (long i : b.stale()) {
      stale.add(i);
    }
    return b;
  }

  boolean isStale(long index) {
    return stale.contains(index);
  }

  long lastEnqueued() {
    return lastEnqueued;
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
    m.put("stale records", stale.size());
    m.put("delivery limit", config.deliveryLimit());
    m.put("max length", config.maxLength());
    m.put("overflow", config.rejectPublish() ? "reject-publish" : "drop-head");
  }

  /** Messages not settled (ready and out to consumers). */
  long messages() {
    return nextSeq - settled.base() - settled.settledAboveBase();
  }

  private static final int SNAPSHOT_VERSION = 1;

  /** The state as bytes, for a snapshot ({@link QueueSnapshots}); {@link #restore} reads them back. */
  byte[] snapshot() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeInt(SNAPSHOT_VERSION);
      out.writeLong(nextSeq);
      out.writeLong(deliveredThrough);
      out.writeLong(lastApplied);
      out.writeLong(lastEnqueued);
      out.writeInt(config.deliveryLimit());
      out.writeLong(config.maxLength());
      out.writeBoolean(config.rejectPublish());
      settled.writeTo(out);
      out.writeInt(failures.size());
      for (Map.Entry<Long, Integer> f : failures.entrySet()) {
        out.writeLong(f.getKey());
        out.writeInt(f.getValue());
      }
      out.writeInt(segmentSeqs.size());
      for (Map.Entry<Long, Long> e : segmentSeqs.entrySet()) {
        out.writeLong(e.getKey());
        out.writeLong(e.getValue());
      }
      out.writeInt(stale.size());
      for (long i : stale) {
        out.writeLong(i);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // in memory
    }
    return bytes.toByteArray();
  }

  /** The state {@link #snapshot} wrote, in place of this one. */
  void restore(byte[] state) {
    try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(state))) {
      int version = in.readInt();
      if (version != SNAPSHOT_VERSION) {
        throw new IllegalStateException("a quorum queue snapshot of version " + version + ", this node reads "
            + SNAPSHOT_VERSION);
      }
      nextSeq = in.readLong();
      deliveredThrough = in.readLong();
      lastApplied = in.readLong();
      lastEnqueued = in.readLong();
      config = new Config(in.readInt(), in.readLong(), in.readBoolean());
      settled.readFrom(in);
      failures.clear();
      for (int n = in.readInt(); n > 0; n--) {
        failures.put(in.readLong(), in.readInt());
      }
      segmentSeqs.clear();
      for (int n = in.readInt(); n > 0; n--) {
        segmentSeqs.put(in.readLong(), in.readLong());
      }
      stale.clear();
      for (int n = in.readInt(); n > 0; n--) {
        stale.add(in.readLong());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a quorum queue snapshot that cannot be read", e);
    }
  }
}
