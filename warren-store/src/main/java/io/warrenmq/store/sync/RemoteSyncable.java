package io.warrenmq.store.sync;

import java.util.concurrent.CompletableFuture;

/**
 * A write made durable somewhere else (a message forwarded to the node that holds its queue): the
 * {@link GroupCommitter} does not force it but waits for {@link #durable()} without blocking its
 * thread, so one slow peer delays only the confirms that wait for it.
 */
public interface RemoteSyncable extends Syncable {
  /** Completes once the write is durable where it went; exceptionally if it was refused or lost. */
  CompletableFuture<Void> durable();

  @Override
  default void force() throws java.io.IOException {
    try {
      durable().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for a remote write");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new java.io.IOException(e.getCause().getMessage(), e.getCause());
    }
  }
}
