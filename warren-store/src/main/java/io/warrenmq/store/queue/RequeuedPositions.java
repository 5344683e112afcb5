package io.warrenmq.store.queue;

import io.warrenmq.store.segment.SegmentPosition;
import java.util.Arrays;

/**
 * The positions of requeued records: a binary min-heap of primitive longs in queue order (unsigned
 * compare), so a requeued message costs 8 bytes and no object. It shrinks again after a burst.
 *
 * <p>Not thread-safe: confined to the store's owner.
 */
final class RequeuedPositions {

  private static final int MIN_CAPACITY = 16;

  private long[] heap = new long[MIN_CAPACITY];
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** The array's length: what the heap retains. */
  int capacity() {
    return heap.length;
  }

  void add(long pos) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, heap.length * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (SegmentPosition.compare(heap[parent], pos) <= 0) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = pos;
  }

  /** The lowest position, or {@link SegmentPosition#NONE}. */
  long peek() {
    return size == 0 ? SegmentPosition.NONE : heap[0];
  }

  /** Removes and returns the lowest position, or {@link SegmentPosition#NONE}. */
  long poll() {
    if (size == 0) {
      return SegmentPosition.NONE;
    }
    long top = heap[0];
    long last = heap[--size];
    int i = 0;
    for (int child; (child = 2 * i + 1) < size; i = child) {
      if (child + 1 < size && SegmentPosition.compare(heap[child + 1], heap[child]) < 0) {
        child++;
      }
      if (SegmentPosition.compare(last, heap[child]) <= 0) {
        break;
      }
      heap[i] = heap[child];
    }
    heap[i] = last;
    if (heap.length > MIN_CAPACITY && size < heap.length / 4) {
      heap = Arrays.copyOf(heap, heap.length / 2);
    }
    return top;
  }

  void clear() {
    size = 0;
    heap = new long[MIN_CAPACITY];
  }
}
