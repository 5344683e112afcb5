/**
 * Durability plumbing: {@link io.warrenmq.store.sync.Syncable} (something that can be forced to
 * disk), the {@link io.warrenmq.store.sync.GroupCommitter} thread that batches fsyncs and runs the
 * completion callbacks that become publisher confirms, {@link io.warrenmq.store.sync.BlockingGuard}
 * (blocking entry points refuse Netty event loops) and {@link
 * io.warrenmq.store.sync.DirectorySync}. May depend on the JDK and netty-common only; nothing here
 * knows segments or queues.
 */
@org.jspecify.annotations.NullMarked
package io.warrenmq.store.sync;
