package io.warrenmq.broker;

import io.warrenmq.amqp.types.FieldTable;
import java.util.List;

/**
 * How a cluster node changes the access metadata (vhosts, users, permissions, topic permissions,
 * policies, parameters): the changes, as definitions records, go into the cluster's metadata log
 * and every node applies them in log order with {@link MetadataChanges#applyReplicated}.
 */
public interface MetadataReplication {
  /**
   * Appends {@code changes} as one entry and returns once this node has applied it; throws what
   * the apply threw (a failed check, the same on every node), or a 541 INTERNAL_ERROR when the
   * metadata log did not commit the entry in time (no majority reachable).
   */
  void replicate(List<FieldTable> changes);

  /** How this node reaches the classic queues of other nodes; null if it does not. */
  default io.warrenmq.broker.queue.@org.jspecify.annotations.Nullable QueueLink queueLink() {
    return null;
  }
}
