package io.warrenmq.management.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The body of a {@link Response#written} answer: bytes gather in a 64 KiB buffer that goes out as
 * one HTTP chunk when full; while the connection is not writable the writer waits for the chunk in
 * flight, so at most the write buffer's high water mark and one chunk wait in memory. A write to a
 * closed connection fails with an {@link IOException}, which stops the writer.
 *
 * <p>Threading: used by the one thread handling the request, never an event loop (it blocks).
 * Buffers: each chunk's buffer is handed to Netty, which releases it once written.
 */
final class ChunkStream extends OutputStream {
  static final int CHUNK = 64 * 1024;

  private final ChannelHandlerContext ctx;
  private ByteBuf buf;
  private boolean closed;

  ChunkStream(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.buf = ctx.alloc().buffer(CHUNK);
  }

  @Override
  public void write(int b) throws IOException {
    if (!buf.isWritable()) {
      send();
    }
    buf.writeByte(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (!buf.isWritable()) {
        send();
      }
      int n = Math.min(len, buf.writableBytes());
      buf.writeBytes(b, off, n);
      off += n;
      len -= n;
    }
  }

  private void send() throws IOException {
    if (!ctx.channel().isActive()) {
      throw new IOException("the client closed the connection");
    }
    ChannelFuture f = ctx.writeAndFlush(new DefaultHttpContent(buf));
    buf = ctx.alloc().buffer(CHUNK);
    if (!ctx.channel().isWritable()) {
      f.awaitUninterruptibly();
      if (!f.isSuccess()) {
        throw new IOException("cannot write to the client", f.cause());
      }
    }
  }

  /** Sends what is buffered (the last data chunk; the caller writes the end of the body). */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (buf.isReadable()) {
      ctx.writeAndFlush(new DefaultHttpContent(buf));
    } else {
      buf.release();
    }
  }
}
