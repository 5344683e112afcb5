package io.warrenmq.amqp.frame;

/**
 * One AMQP frame (spec 4.2.3) as produced by {@link FrameDecoder} and consumed by {@link
 * FrameEncoder}. {@link HeaderFrame} and {@link BodyFrame} hold a reference-counted buffer that
 * whoever holds the frame last must release; {@link MethodFrame} and {@link HeartbeatFrame} hold
 * none.
 */
public sealed interface Frame permits MethodFrame, HeaderFrame, BodyFrame, HeartbeatFrame {
  /** The channel number, 0 for the connection itself. */
  int channel();
}
