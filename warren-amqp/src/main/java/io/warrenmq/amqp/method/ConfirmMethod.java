package io.warrenmq.amqp.method;

import io.warrenmq.amqp.AmqpConstants;

/** The methods of AMQP class {@code confirm} (class id 85). */
public sealed interface ConfirmMethod extends Method permits ConfirmSelect, ConfirmSelectOk {
  @Override
  default int classId() {
    return AmqpConstants.CLASS_CONFIRM;
  }
}
