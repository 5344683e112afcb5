/**
 * The message store of one queue: {@link io.warrenmq.store.queue.MessageStore} appends records to
 * segment files, hands them out in queue order, takes acks and requeues, removes ready records
 * from anywhere in the queue, shows them in order without taking them ({@link
 * io.warrenmq.store.queue.ReadyVisitor}), purges, deletes segments whose records are all acked,
 * and forces what was written for the group committer. The heap holds
 * a few descriptors per segment and a primitive heap of requeued positions, nothing per waiting
 * message. May depend on the JDK, netty-buffer, {@code store.segment}, {@code store.sync} and
 * {@code store.recovery}.
 */
@org.jspecify.annotations.NullMarked
package io.warrenmq.store.queue;
