package io.warrenmq.store.recovery;

/**
 * What recovery found and did, for the broker to log (the store has no logger of its own).
 *
 * @param segmentsRecovered files kept (segment files, or 1 for a record log)
 * @param recordsRecovered live records kept, ready again
 * @param transientDropped records not marked persistent, dropped because a restart ends them
 * @param tornTails files in which a torn or corrupt tail was cut
 * @param bytesTruncated bytes of torn tails discarded
 * @param segmentsDeleted files deleted: fully acked segments and blank (torn at creation) ones
 */
public record RecoveryReport(
    int segmentsRecovered,
    long recordsRecovered,
    long transientDropped,
    int tornTails,
    long bytesTruncated,
    int segmentsDeleted) {

  /** Nothing recovered, nothing done: a new or non-durable store. */
  public static final RecoveryReport EMPTY = new RecoveryReport(0, 0, 0, 0, 0, 0);

  /** Whether anything was cut: worth a warning in the log. */
  public boolean truncated() {
    return tornTails > 0;
  }
}
