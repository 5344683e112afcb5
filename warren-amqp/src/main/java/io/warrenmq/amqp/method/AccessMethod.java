package io.warrenmq.amqp.method;

import io.warrenmq.amqp.AmqpConstants;

/** The methods of AMQP class {@code access} (class id 30). */
public sealed interface AccessMethod extends Method permits AccessRequest, AccessRequestOk {
  @Override
  default int classId() {
    return AmqpConstants.CLASS_ACCESS;
  }
}
