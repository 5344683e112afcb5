package io.warrenmq.amqp.method;

import io.warrenmq.amqp.AmqpConstants;

/** The methods of AMQP class {@code basic} (class id 60). */
public sealed interface BasicMethod extends Method
    permits BasicQos,
        BasicQosOk,
        BasicConsume,
        BasicConsumeOk,
        BasicCancel,
        BasicCancelOk,
        BasicPublish,
        BasicReturn,
        BasicDeliver,
        BasicGet,
        BasicGetOk,
        BasicGetEmpty,
        BasicAck,
        BasicReject,
        BasicRecoverAsync,
        BasicRecover,
        BasicRecoverOk,
        BasicNack {
  @Override
  default int classId() {
    return AmqpConstants.CLASS_BASIC;
  }
}
