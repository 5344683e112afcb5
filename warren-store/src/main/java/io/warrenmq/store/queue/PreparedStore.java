package io.warrenmq.store.queue;

import io.warrenmq.store.recovery.CleanShutdown;
import io.warrenmq.store.recovery.RecoveryReport;
import io.warrenmq.store.recovery.StoreRecovery;
import java.nio.file.Path;

/**
 * A store directory that {@link MessageStore#prepare} has opened: the disk work of {@link
 * MessageStore#open} is done (the directory made, the clean-shutdown marker taken, the segments
 * recovered), and the {@link MessageStore} over it is not built yet. {@link #build()} only
 * allocates, so an owner with many stores that hold nothing ({@link #empty()}) can keep this small
 * value instead and build the store on first use, on any thread, a Netty event loop included.
 *
 * <p>Build it once: the recovered segments (if any) belong to the store it builds. Immutable.
 *
 * @param marker what {@link CleanShutdown#take} returned, or 0 for a store that starts empty
 */
public record PreparedStore(Path dir, StoreOptions options, StoreRecovery.Result recovered, long marker) {

  /** A recovery that found nothing: shared by the stores that hold nothing, as most do. */
  static final StoreRecovery.Result NOTHING = new StoreRecovery.Result(java.util.List.of(), 0, 0, 0, RecoveryReport.EMPTY);

  /**
   * A store directory opened earlier in which recovery found nothing at all (see {@link
   * #nothingRecovered()}): an owner that kept only the directory, the options and the marker
   * gets its prepared store back.
   */
  public static PreparedStore ofNothing(Path dir, StoreOptions options, long marker) {
    return new PreparedStore(dir, options, NOTHING, marker);
  }

  /** Whether recovery found nothing at all: no segment, nothing deleted, nothing to report. */
  public boolean nothingRecovered() {
    return recovered == NOTHING;
  }

  /** Whether the directory holds no segment: the store starts with nothing in it. */
  public boolean empty() {
    return recovered.segments().isEmpty();
  }

  /** See {@link MessageStore#recoveredClean()}. */
  public boolean recoveredClean() {
    return marker != CleanShutdown.ABSENT;
  }

  /** See {@link MessageStore#recoveryReport()}. */
  public RecoveryReport recoveryReport() {
    return recovered.report();
  }

  /** The store over the opened directory; allocates only (no I/O). */
  public MessageStore build() {
    return new MessageStore(dir, options, recovered, marker);
  }
}
