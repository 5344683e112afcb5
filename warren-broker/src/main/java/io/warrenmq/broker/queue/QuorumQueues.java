package io.warrenmq.broker.queue;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a cluster node places and opens quorum queues ({@code x-queue-type: quorum}); the cluster
 * module implements it with one Raft group per queue. On a single node there is none, and such a
 * declaration makes a classic queue, as before.
 */
public interface QuorumQueues {
  /**
   * What the definition record of a new quorum queue declared on this node carries besides its
   * spec: its members and its Raft group.
   */
  Map<String, Object> place(QueueSpec spec);

  /**
   * The quorum queue of a definition record on this node, member of its group or not; {@code host}
   * (the vhost) takes its dead letters, {@code effective} is its arguments with its policies.
   */
  Queue open(QueueSpec spec, FieldTable record, QueueHost host, io.warrenmq.broker.policy.EffectiveArguments effective);

  /**
   * A definition record of quorum queue {@code q} that changes its members (add_member,
   * delete_member), applied on every node: this node joins or leaves the queue's group. Returns
   * whether the members changed (false for a record replayed).
   */
  boolean changeMembers(Queue q, FieldTable record);

  /** Whether the declaration asks for a quorum queue. */
  static boolean requested(QueueSpec spec) {
    Object t = spec.arguments().get("x-queue-type");
    return t != null && "quorum".equals(t.toString());
  }

  /** Arguments of other queue types, refused for a quorum queue (RabbitMQ 4.3). */
  Set<String> OTHER_TYPES_ARGUMENTS = Set.of("x-max-priority", "x-queue-mode", "x-queue-version",
      "x-queue-master-locator", "x-max-age", "x-stream-max-segment-size-bytes", "x-stream-filter-size-bytes",
      "x-initial-cluster-size");

  /**
   * Quorum-queue arguments RabbitMQ takes that WarrenMQ's quorum queues do not implement yet: refused
   * with 406 rather than taken and ignored (docs/clustering.md lists them).
   */
  Set<String> NOT_YET_ARGUMENTS = Set.of("x-max-length-bytes");

  /**
   * RabbitMQ 4.3's declare rules for quorum queues: 406 for exclusive, auto-delete, non-durable or
   * server-named ones and for another type's arguments.
   */
  static void check(QueueSpec spec, boolean serverNamed) {
    String q = spec.resource();
    if (serverNamed || spec.name().isEmpty()) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "Cannot declare a server-named queue for type rabbit_quorum_queue");
    }
    if (spec.exclusive()) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "invalid property 'exclusive-owner' for %s", q);
    }
    if (spec.autoDelete()) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "invalid property 'auto-delete' for %s", q);
    }
    if (!spec.durable()) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "invalid property 'non-durable' for %s", q);
    }
    for (String k : spec.arguments().asMap().keySet()) {
      if (OTHER_TYPES_ARGUMENTS.contains(k)) {
        throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
            "invalid arg '%s' for %s of queue type rabbit_quorum_queue", k, q);
      }
    }
    for (String k : spec.arguments().asMap().keySet()) {
      if (NOT_YET_ARGUMENTS.contains(k)) {
        throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
            "invalid arg '%s' for %s: WarrenMQ's quorum queues do not support it yet", k, q);
      }
    }
    Object overflow = spec.arguments().get("x-overflow");
    if (overflow != null && !List.of("drop-head", "reject-publish").contains(overflow.toString())) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "invalid arg 'x-overflow' for %s: %s (a quorum queue takes drop-head or reject-publish)", q, overflow);
    }
    Object strategy = spec.arguments().get("x-dead-letter-strategy");
    if (strategy != null && !"at-most-once".equals(strategy.toString())) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "at-least-once".equals(strategy.toString())
          ? "invalid arg 'x-dead-letter-strategy' for %s: at-least-once: WarrenMQ's quorum queues do not support it yet"
          : "invalid arg 'x-dead-letter-strategy' for %s: %s (at-most-once or at-least-once)", q, strategy);
    }
    if (spec.arguments().get("x-dead-letter-exchange") != null && spec.arguments().get("x-max-length") != null
        && !"reject-publish".equals(String.valueOf(overflow))) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "invalid arg 'x-dead-letter-exchange' for %s with x-max-length and x-overflow drop-head: WarrenMQ's quorum"
              + " queues do not dead-letter the messages the length limit drops yet", q);
    }
    Object max = spec.arguments().get("x-max-length");
    if (max != null && (FieldTable.integral(max) == null || FieldTable.integral(max) < 0)) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "invalid arg 'x-max-length' for %s: %s (a non-negative integer)", q, max);
    }
    Object size = spec.arguments().get("x-quorum-initial-group-size");
    if (size != null) {
      Long v = FieldTable.integral(size);
      long n = v == null ? -1 : v;
      if (n <= 0) {
        throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
            "invalid arg 'x-quorum-initial-group-size' for %s: {%s,%s}", q, n == 0 ? "value_zero" : "value_negative",
            size);
      }
    }
  }

  /**
   * When {@code m}, published {@code now} to a quorum queue whose message TTL is {@code ttl} ms
   * (negative for none: x-message-ttl or the message-ttl policy), expires: by that TTL or its
   * expiration property, whichever comes first (epoch ms, 0 = never). The node that takes the
   * publish sets it in the record, so every member drops the same messages.
   */
  static long expiresAt(long ttl, io.warrenmq.broker.message.Message m, long now) {
    return Expiry.deadline(now, ttl < 0 ? -1 : ttl, Expiry.perMessageDeadline(m, now));
  }

  /** RabbitMQ's x-quorum-initial-group-size, default 3. */
  static int initialGroupSize(QueueSpec spec) {
    Object size = spec.arguments().get("x-quorum-initial-group-size");
    Long n = FieldTable.integral(size);
    return n == null ? 3 : (int) Math.min(Integer.MAX_VALUE, n);
  }
}
