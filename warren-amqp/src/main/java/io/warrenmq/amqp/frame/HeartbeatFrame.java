package io.warrenmq.amqp.frame;

/**
 * A heartbeat frame (type 8). Always on channel 0 when valid; the decoder rejects others, and the
 * encoder writes the channel it is given so that tests can produce invalid ones.
 */
public record HeartbeatFrame(int channel) implements Frame {
  /** The heartbeat on channel 0. */
  public static final HeartbeatFrame INSTANCE = new HeartbeatFrame(0);
}
