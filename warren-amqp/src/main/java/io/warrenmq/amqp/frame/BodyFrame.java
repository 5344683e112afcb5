package io.warrenmq.amqp.frame;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * A content body frame (type 3): one piece of a message body.
 *
 * <p><b>Ownership.</b> {@code payload} is a retained slice of the received bytes, owned by the
 * holder of this frame, who must {@link #release()} it (or hand it to someone who does, such as the
 * store append or {@link FrameEncoder}). The frame's reference count is the buffer's. Keep it on
 * one event loop.
 */
public record BodyFrame(int channel, ByteBuf payload) implements Frame, ReferenceCounted {

  @Override
  public int refCnt() {
    return payload.refCnt();
  }

  @Override
  public BodyFrame retain() {
    payload.retain();
    return this;
  }

  @Override
  public BodyFrame retain(int increment) {
    payload.retain(increment);
    return this;
  }

  @Override
  public BodyFrame touch() {
    payload.touch();
    return this;
  }

  @Override
  public BodyFrame touch(Object hint) {
    payload.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return payload.release();
  }

  @Override
  public boolean release(int decrement) {
    return payload.release(decrement);
  }
}
