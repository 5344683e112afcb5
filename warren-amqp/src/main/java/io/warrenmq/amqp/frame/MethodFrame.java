package io.warrenmq.amqp.frame;

import io.warrenmq.amqp.method.Method;
import java.util.Objects;

/** A method frame (type 1), already decoded. Immutable; holds no buffer. */
public record MethodFrame(int channel, Method method) implements Frame {
  public MethodFrame {
    Objects.requireNonNull(method, "method");
  }
}
