package io.warrenmq.amqp.frame;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.content.PropertiesSummary;

/**
 * A content header frame (type 2): class id, body size and the raw property flags and property
 * list.
 *
 * <p><b>Ownership.</b> {@code properties} is a retained slice of the received bytes, owned by the
 * holder of this frame, who must {@link #release()} it (or pass the frame on to someone who does,
 * for example {@link FrameEncoder}, which releases what it writes). The frame's reference count is
 * the buffer's. Not thread-safe beyond what {@link ByteBuf} offers; keep it on one event loop.
 *
 * @param classId the content class; 60 ({@code basic}) is the only one RabbitMQ accepts
 * @param bodySize the total body size announced for the body frames that follow, never negative
 * @param properties flags and property list, as {@link BasicPropertiesCodec} reads them
 */
public record HeaderFrame(int channel, int classId, long bodySize, ByteBuf properties)
    implements Frame, ReferenceCounted {

  /** Decodes the properties; borrows the buffer. */
  public BasicProperties decodeProperties() {
    return BasicPropertiesCodec.decode(properties);
  }

  /** Reads delivery-mode, priority, expiration without building the headers table. */
  public PropertiesSummary summarizeProperties() {
    return BasicPropertiesCodec.summarize(properties);
  }

  @Override
  public int refCnt() {
    return properties.refCnt();
  }

  @Override
  public HeaderFrame retain() {
    properties.retain();
    return this;
  }

  @Override
  public HeaderFrame retain(int increment) {
    properties.retain(increment);
    return this;
  }

  @Override
  public HeaderFrame touch() {
    properties.touch();
    return this;
  }

  @Override
  public HeaderFrame touch(Object hint) {
    properties.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return properties.release();
  }

  @Override
  public boolean release(int decrement) {
    return properties.release(decrement);
  }
}
