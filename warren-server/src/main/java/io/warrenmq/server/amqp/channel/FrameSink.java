package io.warrenmq.server.amqp.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.warrenmq.amqp.method.Method;

/**
 * Where a channel writes its frames: the connection, seen narrowly. Writes are buffered and go
 * out at the next {@link #flush()} (the connection flushes at the end of every read batch).
 *
 * <p>Threading: every method is called on {@link #executor()}, the connection's event loop.
 */
public interface FrameSink {
  ByteBufAllocator alloc();

  /** Writes encoded frames (takes ownership of {@code frames}); not flushed. */
  void write(ByteBuf frames);

  /** Encodes and writes one method frame on {@code channel}; not flushed. */
  void writeMethod(int channel, Method method);

  void flush();

  /** The negotiated frame-max, header and end byte included. */
  int frameMax();

  /** The connection's event loop. */
  EventExecutor executor();

  /** Whether the socket's outbound buffer is below its high water mark. Thread-safe. */
  boolean isWritable();

  /** Marks the channel as having work for the end of the read batch (confirms to flush). */
  void markDirty(AmqpChannel channel);

  /**
   * Reports an error raised outside the connection's read path (a deferred frame, a callback): a
   * connection-level AmqpException closes the connection with its code, anything else with 541.
   */
  void fail(Throwable cause);
}
