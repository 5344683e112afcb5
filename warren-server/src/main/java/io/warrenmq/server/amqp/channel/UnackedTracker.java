package io.warrenmq.server.amqp.channel;

import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.MessageSource;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The channel's deliveries awaiting acknowledgement, by delivery tag. Tags grow monotonically, so
 * the entries live in a ring of parallel primitive arrays in tag order: acks at the head (the
 * common case) are O(1), others a binary search; a settled entry in the middle becomes a tombstone
 * until the head passes it. Memory is bounded by the prefetch of the channel's consumers.
 *
 * <p>In a transaction an acknowledgement is collected when it arrives, as RabbitMQ does: the
 * entries it covers are <em>held</em> for tx.commit (unknown to later acknowledgements, still
 * requeued if the channel closes) and become plain entries again on tx.rollback.
 *
 * <p>Threading: confined to the connection's event loop.
 */
final class UnackedTracker {
  private long[] tags = new long[16];
  private long[] positions = new long[16];
  private long[] times = new long[16];
  private @Nullable MessageSource[] sources = new MessageSource[16];
  private @Nullable Consumer[] consumers = new Consumer[16];
  /** What tx.commit does with a held entry; null while not held. */
  private Settlement.@Nullable Op[] held = new Settlement.Op[16];
  private int head;
  /** Slots in use, tombstones included. */
  private int span;
  private int live;
  /** Live entries held for tx.commit. */
  private int heldCount;

  int size() {
    return live;
  }

  /** The entries held for tx.commit (acknowledgements of the open transaction). */
  int heldCount() {
    return heldCount;
  }

  void add(long tag, MessageSource source, @Nullable Consumer consumer, long position) {
    add(tag, source, consumer, position, 0);
  }

  /** @param time when it was delivered (epoch ms), for consumer timeouts; 0 if not tracked */
  void add(long tag, MessageSource source, @Nullable Consumer consumer, long position, long time) {
    if (span == tags.length) {
      grow();
    }
    int i = (head + span) & (tags.length - 1);
    tags[i] = tag;
    positions[i] = position;
    times[i] = time;
    sources[i] = source;
    consumers[i] = consumer;
    held[i] = null;
    span++;
    live++;
  }

  private void grow() {
    int n = tags.length;
    long[] t = new long[n * 2];
    long[] p = new long[n * 2];
    long[] tm = new long[n * 2];
    MessageSource[] s = new MessageSource[n * 2];
    Consumer[] c = new Consumer[n * 2];
    Settlement.Op[] h = new Settlement.Op[n * 2];
    for (int k = 0; k < span; k++) {
      int i = (head + k) & (n - 1);
      t[k] = tags[i];
      p[k] = positions[i];
      tm[k] = times[i];
      s[k] = sources[i];
      c[k] = consumers[i];
      h[k] = held[i];
    }
    tags = t;
    positions = p;
    times = tm;
    sources = s;
    consumers = c;
    held = h;
    head = 0;
  }

  /** Receives settled entries. */
  interface Visitor {
    void settle(long tag, MessageSource source, @Nullable Consumer consumer, long position);
  }

  /**
   * Removes the entry with {@code tag}, or with multiple every entry up to and including it (tag 0
   * with multiple = all, AMQP 0-9-1 basic.ack). Returns false if the tag is unknown (nothing
   * removed then).
   */
  boolean remove(long tag, boolean multiple, Visitor v) {
    if (multiple && tag == 0) {
      removeAll(v);
      return true;
    }
    int k = find(tag);
    if (k < 0) {
      return false;
    }
    int mask = tags.length - 1;
    if (multiple) {
      for (int j = 0; j <= k; j++) {
        take((head + j) & mask, v);
      }
    } else {
      take((head + k) & mask, v);
    }
    advanceHead();
    return true;
  }

  /**
   * The first live delivery whose consumer has a timeout that has run out at {@code now}, or null.
   * Scans from the oldest; stops at the first entry younger than {@code minTimeout}, the shortest
   * timeout of the channel's consumers (entries are in delivery order, so none after it has run out).
   */
  @Nullable Consumer timedOut(long now, long minTimeout) {
    int mask = tags.length - 1;
    for (int k = 0; k < span; k++) {
      int i = (head + k) & mask;
      Consumer c = consumers[i];
      if (sources[i] == null || c == null || times[i] == 0) {
        continue;
      }
      long t = c.timeoutMs();
      if (t > 0 && now - times[i] > t) {
        return c;
      }
      if (now - times[i] <= minTimeout) {
        return null;
      }
    }
    return null;
  }

  /** Removes every live delivery of {@code c}; returns their tags. */
  long[] removeConsumer(Consumer c, Visitor v) {
    int mask = tags.length - 1;
    long[] out = new long[Math.min(live, 64)];
    int n = 0;
    for (int k = 0; k < span; k++) {
      int i = (head + k) & mask;
      if (sources[i] != null && consumers[i] == c) {
        if (n == out.length) {
          out = java.util.Arrays.copyOf(out, n * 2);
        }
        out[n++] = tags[i];
        take(i, v);
      }
    }
    advanceHead();
    return java.util.Arrays.copyOf(out, n);
  }

  /** Removes every live delivery with a tag up to {@code tag}. */
  void removeUpTo(long tag, Visitor v) {
    int mask = tags.length - 1;
    for (int k = 0; k < span; k++) {
      int i = (head + k) & mask;
      if (tags[i] > tag) {
        break;
      }
      take(i, v);
    }
    advanceHead();
  }

  boolean contains(long tag) {
    return find(tag) >= 0;
  }

  /**
   * Holds the entry with {@code tag} (with multiple: every entry up to it not held yet; tag 0 =
   * all) for tx.commit, which will settle it with {@code op}. Returns false if the tag is unknown
   * or already held.
   */
  boolean hold(long tag, boolean multiple, Settlement.Op op) {
    int mask = tags.length - 1;
    int k = multiple && tag == 0 ? span - 1 : find(tag);
    if (k < 0) {
      return multiple && tag == 0;
    }
    for (int j = multiple ? 0 : k; j <= k; j++) {
      int i = (head + j) & mask;
      if (sources[i] != null && held[i] == null) {
        held[i] = op;
        heldCount++;
      }
    }
    return true;
  }

  /** tx.commit: removes the entries held with {@code op}, in tag order. */
  void removeHeld(Settlement.Op op, Visitor v) {
    int mask = tags.length - 1;
    for (int j = 0; j < span; j++) {
      int i = (head + j) & mask;
      if (held[i] == op) {
        take(i, v);
      }
    }
    advanceHead();
  }

  /** basic.recover: removes every entry not held by a transaction, in tag order. */
  void removeUnheld(Visitor v) {
    int mask = tags.length - 1;
    for (int j = 0; j < span; j++) {
      int i = (head + j) & mask;
      if (held[i] == null) {
        take(i, v);
      }
    }
    advanceHead();
  }

  /** tx.rollback: held entries are plain unacknowledged ones again. */
  void releaseHeld() {
    Arrays.fill(held, null);
    heldCount = 0;
  }

  /** Removes every entry (channel close, basic.recover). */
  void removeAll(Visitor v) {
    while (span > 0) {
      take(head, v);
      advanceHead();
    }
  }

  private void take(int i, Visitor v) {
    MessageSource s = sources[i];
    if (s == null) {
      return;
    }
    v.settle(tags[i], s, consumers[i], positions[i]);
    if (held[i] != null) {
      heldCount--;
    }
    sources[i] = null;
    consumers[i] = null;
    held[i] = null;
    live--;
  }

  private void advanceHead() {
    while (span > 0 && sources[head] == null) {
      head = (head + 1) & (tags.length - 1);
      span--;
    }
    if (span == 0) {
      head = 0;
    }
  }

  /** Offset from head of the live entry with {@code tag}, or -1. */
  private int find(long tag) {
    int lo = 0;
    int hi = span - 1;
    int mask = tags.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long t = tags[(head + mid) & mask];
      if (t < tag) {
        lo = mid + 1;
      } else if (t > tag) {
        hi = mid - 1;
      } else {
        int i = (head + mid) & mask;
        return sources[i] == null || held[i] != null ? -1 : mid;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "UnackedTracker[live=" + live + ", span=" + span + ", tags=" + Arrays.toString(Arrays.copyOf(tags, Math.min(span, 8))) + "]";
  }
}
