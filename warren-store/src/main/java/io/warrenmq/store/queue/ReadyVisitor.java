package io.warrenmq.store.queue;

import io.netty.buffer.ByteBuf;

/** Sees the ready records of a store, in queue order, during {@link MessageStore#scanReady}. */
@FunctionalInterface
public interface ReadyVisitor {

  /**
   * Visits one ready record.
   *
   * @param pos the record's position
   * @param payload a read-only view of the payload over the segment's mapping (no copy): its
   *     readable bytes are the payload, at absolute indexes into the segment, so read it relative
   *     to {@code readerIndex()}. Valid only during this call: copy what you keep; do not retain
   *     or release it.
   * @return true to go on, false to stop the scan
   */
  boolean visit(long pos, ByteBuf payload);
}
