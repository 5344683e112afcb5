package io.warrenmq.store.queue;

import io.warrenmq.store.recovery.CleanShutdown;
import io.warrenmq.store.recovery.StoreRecovery;
import io.warrenmq.store.sync.BlockingGuard;
import io.warrenmq.store.sync.DirectorySync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A message store's directory as a store opens and leaves it. A durable store creates it if
 * missing, takes its {@link CleanShutdown} marker (removed durably before recovery changes a byte:
 * a crash from then on is an unclean stop) and recovers the segments ({@link StoreRecovery}); a
 * non-durable store wipes it and starts empty. A deleted store's directory goes with every file in
 * it.
 *
 * <p>Static helpers only; they block on disk ({@link #open} refuses Netty event loops, the store
 * checks before {@link #delete}). No buffers.
 */
final class StoreDirectory {

  private StoreDirectory() {}

  /** See {@link MessageStore#prepare}. */
  static PreparedStore prepare(Path dir, StoreOptions options) throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    if (options.durable()) {
      DirectorySync.createDirectories(dir);
      // gone (durably) before recovery changes a byte: a crash from here on is an unclean stop
      long marker = CleanShutdown.take(dir);
      StoreRecovery.Result r = StoreRecovery.recover(dir);
      return new PreparedStore(dir, options, r.equals(PreparedStore.NOTHING) ? PreparedStore.NOTHING : r, marker);
    }
    Files.createDirectories(dir);
    deleteContents(dir);
    return new PreparedStore(dir, options, PreparedStore.NOTHING, 0);
  }

  /** Removes {@code dir} with every file in it, if it exists (the store is closed). */
  static void delete(Path dir) throws IOException {
    if (Files.exists(dir)) {
      deleteContents(dir);
      Files.delete(dir);
    }
  }

  private static void deleteContents(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
  }
}
