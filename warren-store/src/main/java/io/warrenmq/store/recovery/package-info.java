/**
 * Recovery on boot: {@link io.warrenmq.store.recovery.SegmentScanner} checks one segment file
 * record by record (sane length, CRC32C), cuts a torn tail and drops transient records; {@link
 * io.warrenmq.store.recovery.StoreRecovery} does it for a queue's directory in segment order;
 * {@link io.warrenmq.store.recovery.RecoveryReport} says what happened so the broker can log it;
 * {@link io.warrenmq.store.recovery.SchemaVersion} guards the data directory's format version;
 * {@link io.warrenmq.store.recovery.CleanShutdown} is a store's clean-shutdown marker, which says
 * whether the delivery counts written in place can be trusted after a restart. May
 * depend on the JDK, {@code store.segment} and {@code store.sync}; never on {@code store.queue}.
 */
@org.jspecify.annotations.NullMarked
package io.warrenmq.store.recovery;
