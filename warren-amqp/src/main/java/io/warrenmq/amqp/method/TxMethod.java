package io.warrenmq.amqp.method;

import io.warrenmq.amqp.AmqpConstants;

/** The methods of AMQP class {@code tx} (class id 90). */
public sealed interface TxMethod extends Method
    permits TxSelect, TxSelectOk, TxCommit, TxCommitOk, TxRollback, TxRollbackOk {
  @Override
  default int classId() {
    return AmqpConstants.CLASS_TX;
  }
}
