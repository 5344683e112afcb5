package io.warrenmq.amqp.method;

import io.warrenmq.amqp.AmqpConstants;

/** The methods of AMQP class {@code exchange} (class id 40). */
public sealed interface ExchangeMethod extends Method
    permits ExchangeDeclare,
        ExchangeDeclareOk,
        ExchangeDelete,
        ExchangeDeleteOk,
        ExchangeBind,
        ExchangeBindOk,
        ExchangeUnbind,
        ExchangeUnbindOk {
  @Override
  default int classId() {
    return AmqpConstants.CLASS_EXCHANGE;
  }
}
