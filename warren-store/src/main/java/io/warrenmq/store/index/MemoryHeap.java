package io.warrenmq.store.index;

import java.util.Arrays;

/**
 * The in-memory part of a {@link DeadlineIndex}: a binary min-heap of (deadline, sequence, value)
 * triples in one primitive array, 24 bytes an entry and no object, ordered by deadline then by
 * sequence (insertion order). It grows by doubling up to its bound and shrinks again when {@link
 * #trim() trimmed} after a drain.
 *
 * <p>Not thread-safe: confined to the index's owner.
 */
final class MemoryHeap {

  static final int STRIDE = 3;
  private static final int MIN_CAPACITY = 16;

  private final int maxEntries;
  private long[] heap;
  private int size;

  MemoryHeap(int maxEntries) {
    this.maxEntries = maxEntries;
    this.heap = new long[Math.min(MIN_CAPACITY, maxEntries) * STRIDE];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  boolean isFull() {
    return size == maxEntries;
  }

  /** Entries the array can hold: what it retains on the heap is 24 bytes each. */
  int capacity() {
    return heap.length / STRIDE;
  }

  /**
   * Adds an entry.
   *
   * @throws IllegalStateException if the heap is full
   */
  void add(long deadline, long seq, long value) {
    if (size == maxEntries) {
      throw new IllegalStateException("memory heap full: " + maxEntries);
    }
    if (size == capacity()) {
      heap = Arrays.copyOf(heap, Math.min(capacity() * 2, maxEntries) * STRIDE);
    }
    long[] h = heap;
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      int p = parent * STRIDE;
      if (!less(deadline, seq, h[p], h[p + 1])) {
        break;
      }
      move(h, p, i * STRIDE);
      i = parent;
    }
    set(i, deadline, seq, value);
  }

  /** The smallest deadline; the heap must not be empty. */
  long peekDeadline() {
    return heap[0];
  }

  long peekValue() {
    return heap[2];
  }

  /** Removes the smallest entry (keeps the capacity: see {@link #trim()}). */
  void removeTop() {
    int last = --size;
    if (last > 0) {
      siftDown(0, heap[last * STRIDE], heap[last * STRIDE + 1], heap[last * STRIDE + 2]);
    }
  }

  /**
   * Drops the entries {@code filter} does not keep and restores the heap (bottom-up, linear).
   * Sequence numbers travel with their entries, so ties keep their insertion order.
   *
   * @return how many were dropped
   */
  int retain(DeadlineFilter filter) {
    int kept = 0;
    for (int i = 0; i < size; i++) {
      int at = i * STRIDE;
      if (filter.keep(heap[at], heap[at + 2])) {
        if (kept != i) {
          System.arraycopy(heap, at, heap, kept * STRIDE, STRIDE);
        }
        kept++;
      }
    }
    int dropped = size - kept;
    size = kept;
    for (int i = (size >>> 1) - 1; i >= 0; i--) {
      siftDown(i, heap[i * STRIDE], heap[i * STRIDE + 1], heap[i * STRIDE + 2]);
    }
    return dropped;
  }

  /** Gives back memory after a drain: halves the array while it is less than a quarter full. */
  void trim() {
    while (capacity() > MIN_CAPACITY && size < capacity() / 4) {
      heap = Arrays.copyOf(heap, capacity() / 2 * STRIDE);
    }
  }

  void clear() {
    size = 0;
    heap = new long[Math.min(MIN_CAPACITY, maxEntries) * STRIDE];
  }

  private void siftDown(int i, long deadline, long seq, long value) {
    long[] h = heap;
    int n = size;
    for (int child; (child = 2 * i + 1) < n; i = child) {
      int c = child * STRIDE;
      if (child + 1 < n && less(h[c + STRIDE], h[c + STRIDE + 1], h[c], h[c + 1])) {
        child++;
        c += STRIDE;
      }
      if (!less(h[c], h[c + 1], deadline, seq)) {
        break;
      }
      move(h, c, i * STRIDE);
    }
    set(i, deadline, seq, value);
  }

  private static void move(long[] h, int from, int to) {
    h[to] = h[from];
    h[to + 1] = h[from + 1];
    h[to + 2] = h[from + 2];
  }

  private static boolean less(long d1, long s1, long d2, long s2) {
    return d1 < d2 || (d1 == d2 && s1 < s2);
  }

  private void set(int slot, long deadline, long seq, long value) {
    int at = slot * STRIDE;
    heap[at] = deadline;
    heap[at + 1] = seq;
    heap[at + 2] = value;
  }
}
