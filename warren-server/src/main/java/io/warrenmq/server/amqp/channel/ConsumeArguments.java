package io.warrenmq.server.amqp.channel;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.method.BasicConsume;
import io.warrenmq.broker.queue.ArgumentTypes;
import io.warrenmq.broker.policy.Policies;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.queue.ClassicQueue;
import io.warrenmq.broker.queue.Queue;

/**
 * The basic.consume arguments RabbitMQ checks (rabbit_amqqueue consume_args): x-priority an integer
 * (check_int_arg), x-consumer-timeout a non-negative integer (check_non_neg_int_arg). A bad one is
 * 406 "invalid arg 'K' for queue 'q' in vhost 'v': T", the error term printed with ~p.
 */
final class ConsumeArguments {
  private ConsumeArguments() {}

  /** The consumer's x-priority, 0 without one. */
  static int priority(BasicConsume m, Queue q) {
    if (!m.arguments().containsKey("x-priority")) {
      return 0;
    }
    Object v = m.arguments().get("x-priority");
    if (!ArgumentTypes.isInteger(v)) {
      throw invalid("x-priority", q, notAnInteger(v));
    }
    return (int) ArgumentTypes.longValue(v);
  }

  /** The consumer's x-consumer-timeout argument, else its queue's (argument or policy); -1 = none. */
  static long timeout(BasicConsume m, Queue q, Policies policies) {
    if (m.arguments().containsKey("x-consumer-timeout")) {
      Object v = m.arguments().get("x-consumer-timeout");
      if (!ArgumentTypes.isInteger(v)) {
        throw invalid("x-consumer-timeout", q, notAnInteger(v));
      }
      long t = ArgumentTypes.longValue(v);
      if (t < 0) {
        throw invalid("x-consumer-timeout", q, "{value_negative," + t + "}");
      }
      return t;
    }
    if (q instanceof ClassicQueue cq) {
      return cq.settings().consumerTimeout();
    }
    // a quorum queue, or a classic queue on another node: its x-consumer-timeout or its policy's
    return policies.resolve(q.spec().vhost(), Policy.Kind.ofQueue(q.type()), q.spec().name(), q.spec().arguments())
        .getLong("consumer-timeout", -1);
  }

  /** check_int_arg's term for another type is a string, so ~p prints it quoted. */
  private static String notAnInteger(Object v) {
    return "\"expected integer, got " + ArgumentTypes.typeName(v) + "\"";
  }

  private static AmqpException invalid(String key, Queue q, String error) {
    return AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "invalid arg '%s' for %s: %s", key,
        q.spec().resource(), error);
  }
}
