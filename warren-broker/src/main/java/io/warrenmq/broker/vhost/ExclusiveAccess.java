package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueSpec;

/** AMQP 0-9-1's exclusive queues: who may use one, RabbitMQ's checks and its 405 text. */
final class ExclusiveAccess {
  /**
   * Passed as the connection by the metadata log's apply, which checks no exclusive ownership (the
   * node that asked did, against the connection that asked).
   */
  static final Object REPLICATED = new Object();

  private ExclusiveAccess() {}

  /** 405 if {@code q} is exclusive to another connection. */
  static void check(Queue q, Object connection) {
    if (connection == REPLICATED) {
      return;
    }
    Object owner = q.exclusiveOwner();
    if (owner != null && owner != connection) {
      throw locked(q);
    }
  }

  /**
   * A redeclaration must also match the exclusivity (RabbitMQ's check_exclusive_access, strict):
   * the owner must be this connection if exclusive was asked for, else there must be none.
   */
  static void checkStrict(Queue q, QueueSpec declared, Object connection) {
    if (q.exclusiveOwner() != (declared.exclusive() ? connection : null)) {
      throw locked(q);
    }
  }

  private static AmqpException locked(Queue q) {
    return AmqpException.channelError(
        ReplyCode.RESOURCE_LOCKED,
        "cannot obtain exclusive access to locked %s. It could be originally declared on another"
            + " connection or the exclusive property value does not match that of the original"
            + " declaration.",
        q.spec().resource());
  }
}
