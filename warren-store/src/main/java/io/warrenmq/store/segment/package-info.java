/**
 * Segment files: one pre-sized, memory-mapped (FFM) file of framed records each, its
 * reference-counted mapping, the record layout (length, CRC32C, flags, state, deliveries, weight,
 * payload), the file header (magic and format version), segment naming ({@code msgs.NNNNNNNNNN})
 * and {@link io.warrenmq.store.segment.SegmentPosition}, a record's position packed into a {@code
 * long}. Records are opaque bytes here. This package may depend on the JDK (FFM, {@code
 * FileChannel}) and netty-buffer only, and on no other package of the store.
 */
@org.jspecify.annotations.NullMarked
package io.warrenmq.store.segment;
