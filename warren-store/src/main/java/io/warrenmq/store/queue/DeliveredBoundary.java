package io.warrenmq.store.queue;

import io.warrenmq.store.recovery.CleanShutdown;
import io.warrenmq.store.segment.SegmentPosition;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What one store knows after its last stop: whether it was clean, and its <i>delivered boundary</i>.
 * Without a {@link CleanShutdown} marker at open the delivery counts on disk may have lost
 * increments, so every recovered record counts as delivered at least once: the boundary is the end
 * of the recovered data, and a record below it counts as delivered once even if its stored count
 * says 0 (RabbitMQ's conservative rule for classic queues: every message recovered after an unclean
 * shutdown is redelivered). A clean stop carries the boundary over in its marker. One primitive per
 * store, nothing per record.
 *
 * <p>Threading: immutable; {@link #leaveMarker} blocks (the store's graceful close). No buffers.
 */
final class DeliveredBoundary {
  /** Records below this position count as delivered at least once (an unclean stop); 0: none. */
  private final long below;
  private final boolean recoveredClean;

  /**
   * @param marker what {@link CleanShutdown#take} returned at open ({@link CleanShutdown#ABSENT}
   *     after an unclean stop), 0 for a store that starts empty
   * @param end the end of the recovered data
   */
  DeliveredBoundary(long marker, long end) {
    this.recoveredClean = marker != CleanShutdown.ABSENT;
    // a clean stop's boundary, never above the data (segment ids restart in an emptied directory)
    this.below = recoveredClean && SegmentPosition.compare(marker, end) < 0 ? marker : end;
  }

  /** See {@link MessageStore#recoveredClean()}. */
  boolean recoveredClean() {
    return recoveredClean;
  }

  /** See {@link MessageStore#deliveredBelow()}. */
  long below() {
    return below;
  }

  /** Whether the record at {@code pos} counts as delivered at least once, whatever its count says. */
  boolean countsAsDelivered(long pos) {
    return SegmentPosition.compare(pos, below) < 0;
  }

  /**
   * The graceful close, once everything is forced: the marker carries the boundary over, never
   * above the data ending at {@code end}.
   */
  void leaveMarker(Path dir, long end) throws IOException {
    CleanShutdown.write(dir, SegmentPosition.compare(below, end) < 0 ? below : end);
  }
}
