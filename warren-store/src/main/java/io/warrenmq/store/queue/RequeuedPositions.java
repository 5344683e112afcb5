package io.warrenmq.store.queue;

import io.warrenmq.store.segment.SegmentPosition;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The positions of requeued records: a binary min-heap of primitive longs in queue order (unsigned
 * compare), so a requeued message costs 8 bytes and no object. It shrinks again after a burst.
 *
 * <p>Not thread-safe: confined to the store's owner.
 */
final class RequeuedPositions {

  private static final int MIN_CAPACITY = 16;
  private static final long[] NO_POSITIONS = {};

  private long[] heap = NO_POSITIONS; // allocated at the first requeue: most queues never requeue
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
      heap = Arrays.copyOf(heap, Math.max(MIN_CAPACITY, heap.length * 2));
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

  /**
   * Hands the positions to {@code visitor} in queue order without removing any, until it returns
   * false. Walks the heap from the root with a frontier of candidate slots (a primitive heap that
   * grows by at most one slot per position visited), so a visit of the first few costs a few
   * slots, not a sorted copy of the heap. The heap must not change during the walk.
   *
   * @return how many positions were handed out
   */
  int forEachInOrder(LongPredicate visitor) {
    if (size == 0) {
      return 0;
    }
    int[] frontier = new int[Math.min(size, MIN_CAPACITY)];
    int slots = 1;
    frontier[0] = 0;
    int visited = 0;
    while (slots > 0) {
      int top = frontier[0];
      frontier[0] = frontier[--slots];
      siftDownSlot(frontier, slots);
      visited++;
      if (!visitor.test(heap[top])) {
        break;
      }
      for (int child = 2 * top + 1; child <= 2 * top + 2 && child < size; child++) {
        if (slots == frontier.length) {
          frontier = Arrays.copyOf(frontier, frontier.length * 2);
        }
        siftUpSlot(frontier, slots++, child);
      }
    }
    return visited;
  }

  private void siftUpSlot(int[] slots, int i, int slot) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (SegmentPosition.compare(heap[slots[parent]], heap[slot]) <= 0) {
        break;
      }
      slots[i] = slots[parent];
      i = parent;
    }
    slots[i] = slot;
  }

  private void siftDownSlot(int[] slots, int count) {
    if (count == 0) {
      return;
    }
    int slot = slots[0];
    int i = 0;
    for (int child; (child = 2 * i + 1) < count; i = child) {
      if (child + 1 < count
          && SegmentPosition.compare(heap[slots[child + 1]], heap[slots[child]]) < 0) {
        child++;
      }
      if (SegmentPosition.compare(heap[slot], heap[slots[child]]) <= 0) {
        break;
      }
      slots[i] = slots[child];
    }
    slots[i] = slot;
  }

  void clear() {
    size = 0;
    heap = NO_POSITIONS;
  }
}
