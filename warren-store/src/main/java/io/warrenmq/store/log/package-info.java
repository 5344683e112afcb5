/**
 * {@link io.warrenmq.store.log.RecordLog}: an append-only log of opaque records (each framed with
 * a length and a CRC32C) for the broker's durable definitions, recovered on open and compacted by
 * rewriting it atomically. The broker owns the records' schema. May depend on the JDK, {@code
 * store.sync} and {@code store.recovery}.
 */
@org.jspecify.annotations.NullMarked
package io.warrenmq.store.log;
