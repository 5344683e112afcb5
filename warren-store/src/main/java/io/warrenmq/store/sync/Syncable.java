package io.warrenmq.store.sync;

import java.io.IOException;

/**
 * Something whose writes so far can be made durable. {@link #force()} blocks (fsync, msync): it
 * runs on the {@link GroupCommitter} thread or another thread that may block, never on an event
 * loop, and it must be safe to call concurrently with the writer.
 */
@FunctionalInterface
public interface Syncable {

  /** Makes everything written before this call durable; a no-op once the target is closed. */
  void force() throws IOException;
}
