package io.warrenmq.cluster.quorum;

/**
 * Which messages of a quorum queue are settled (acked, dropped, purged), by sequence number: every
 * number below {@link #floor()} is, and a bit per number above it says. One bit per message that
 * waits: a million waiting messages cost 125 KB, not an object each.
 *
 * <p>Threading: not thread-safe; the queue's state machine guards it.
 */
final class SettledSeqs {
  /** The number of bit 0 of {@code words[head]}; a multiple of 64. */
  private long base;
  private long[] words = new long[16];
  private int head;
  private int used;
  private long setAbove;

  /** Back to nothing settled, from number 0 (a member that joins the group again replays its log). */
  void clear() {
    base = 0;
    words = new long[16];
    head = 0;
    used = 0;
    setAbove = 0;
  }

  /** Every number below this one is settled. */
  long floor() {
    if (used == 0) {
      return base;
    }
    long w = words[head];
    return base + Long.numberOfTrailingZeros(~w);
  }

  /** How many numbers at or above {@link #floor()}'s word are settled. */
  long settledAboveBase() {
    return setAbove;
  }

  /** The number of bit 0 of the first word kept. */
  long base() {
    return base;
  }

  boolean isSettled(long seq) {
    if (seq < base) {
      return true;
    }
    long i = (seq - base) >>> 6;
    if (i >= used) {
      return false;
    }
    return (words[(int) ((head + i) % words.length)] & (1L << (seq & 63))) != 0;
  }

  /** Marks {@code seq} settled; returns false if it already was. */
  boolean settle(long seq) {
    if (seq < base) {
      return false;
    }
    long i = (seq - base) >>> 6;
    while (i >= words.length) {
      grow();
    }
    while (i >= used) {
      words[(head + used) % words.length] = 0;
      used++;
    }
    int at = (int) ((head + i) % words.length);
    long bit = 1L << (seq & 63);
    if ((words[at] & bit) != 0) {
      return false;
    }
    words[at] |= bit;
    setAbove++;
    while (used > 0 && words[head] == -1L) {
      head = (head + 1) % words.length;
      used--;
      base += 64;
      setAbove -= 64;
    }
    return true;
  }

  /** Marks every number below {@code seq} settled (a purge, segments deleted before a restart). */
  void settleBelow(long seq) {
    while (floor() < seq) {
      long f = floor();
      if (used == 0 && seq - base >= 64) {
        base = seq & ~63L;
        continue;
      }
      settle(f);
    }
  }

  private void grow() {
    long[] n = new long[words.length * 2];
    for (int k = 0; k < used; k++) {
      n[k] = words[(head + k) % words.length];
    }
    words = n;
    head = 0;
  }

  /** Writes the numbers settled (for a snapshot). */
  void writeTo(java.io.DataOutput out) throws java.io.IOException {
    out.writeLong(base);
    out.writeInt(used);
    for (int k = 0; k < used; k++) {
      out.writeLong(words[(head + k) % words.length]);
    }
  }

  /** Back to what {@link #writeTo} wrote. */
  void readFrom(java.io.DataInput in) throws java.io.IOException {
    base = in.readLong();
    used = in.readInt();
    int n = 16;
    while (n < used) {
      n *= 2;
    }
    words = new long[n];
    head = 0;
    setAbove = 0;
    for (int k = 0; k < used; k++) {
      words[k] = in.readLong();
      setAbove += Long.bitCount(words[k]);
    }
  }
}
