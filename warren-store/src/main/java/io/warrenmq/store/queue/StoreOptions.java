package io.warrenmq.store.queue;

import io.warrenmq.store.segment.SegmentFile;

/**
 * How a queue's message store behaves.
 *
 * @param segmentCapacity the size of a segment file in bytes; a record that does not fit in one
 *     gets a segment of its own, sized to fit
 * @param durable whether the store survives a restart: if so {@code open} recovers what is on
 *     disk, otherwise it starts empty and {@code force()} does nothing
 */
public record StoreOptions(int segmentCapacity, boolean durable) {

  /** 8 MiB segments, durable. */
  public static final StoreOptions DEFAULTS = new StoreOptions(SegmentFile.DEFAULT_CAPACITY, true);

  public StoreOptions {
    if (segmentCapacity < SegmentFile.MIN_CAPACITY) {
      throw new IllegalArgumentException(
          "segmentCapacity must be at least " + SegmentFile.MIN_CAPACITY + ": " + segmentCapacity);
    }
  }

  public StoreOptions withDurable(boolean durable) {
    return new StoreOptions(segmentCapacity, durable);
  }

  public StoreOptions withSegmentCapacity(int segmentCapacity) {
    return new StoreOptions(segmentCapacity, durable);
  }
}
