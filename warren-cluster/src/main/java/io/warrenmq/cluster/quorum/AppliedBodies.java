package io.warrenmq.cluster.quorum;

import java.io.IOException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's bodies kept in step with its state as entries are applied: records no entry wrote are
 * skipped before an entry with publishes ({@link QuorumState#checkRecords}), and segments whose
 * messages are all settled are deleted after each entry.
 *
 * <p>Threading: under the queue's lock, on the group's apply thread.
 */
final class AppliedBodies {
  private static final Logger log = LoggerFactory.getLogger(AppliedBodies.class);

  private final String resource;
  private final QuorumState state;
  /** The member's bodies now (none while this node is not a member). */
  private final Supplier<@Nullable QuorumLog> bodies;

  AppliedBodies(String resource, QuorumState state, Supplier<@Nullable QuorumLog> bodies) {
    this.resource = resource;
    this.state = state;
    this.bodies = bodies;
  }

  /** Before entry {@code index}, which carries publishes, is applied: records no entry wrote are skipped. */
  void beforeEnqueue(long index) {
    QuorumLog b = bodies.get();
    if (b == null) {
      return;
    }
    try {
      QuorumLog.Between between = state.checkRecords(b, index);
      if (between.stale().length > 0) {
        log.warn("{}: skipping {} records of entries the Raft log does not have (a crash between writing the bodies "
            + "and the entry): {}", resource, between.stale().length, java.util.Arrays.toString(between.stale()));
      }
      if (!between.found()) {
        log.error("{}: no bodies here for entry {}, which carries publishes", resource, index);
      }
    } catch (IOException e) {
      log.error("{}: could not read its bodies before entry {}", resource, index, e);
    }
  }

  /** After an entry: the segments whose messages are all settled go. */
  void dropSettled() {
    QuorumLog b = bodies.get();
    if (b == null) {
      return;
    }
    for (long s; (s = state.deletableSegment()) >= 0; ) {
      try {
        b.deleteSegment(s);
      } catch (IOException e) {
        log.warn("{}: could not delete a settled segment", resource, e);
      }
      state.segmentDeleted(s);
    }
  }
}
