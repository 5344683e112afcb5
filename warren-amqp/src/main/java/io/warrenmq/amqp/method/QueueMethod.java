package io.warrenmq.amqp.method;

import io.warrenmq.amqp.AmqpConstants;

/** The methods of AMQP class {@code queue} (class id 50). */
public sealed interface QueueMethod extends Method
    permits QueueDeclare,
        QueueDeclareOk,
        QueueBind,
        QueueBindOk,
        QueuePurge,
        QueuePurgeOk,
        QueueDelete,
        QueueDeleteOk,
        QueueUnbind,
        QueueUnbindOk {
  @Override
  default int classId() {
    return AmqpConstants.CLASS_QUEUE;
  }
}
