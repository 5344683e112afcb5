package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.types.FieldTable;

/**
 * How a cluster node commits a topology change of a vhost: the change, as a definitions record,
 * goes into the cluster's metadata log, and every node applies it with
 * {@link VirtualHost#applyReplicated}.
 */
@FunctionalInterface
public interface TopologyReplication {
  /**
   * Returns once the change is applied on this node; throws what the apply threw (the same on every
   * node), or 541 INTERNAL_ERROR when the log did not commit it in time (no majority reachable).
   */
  void replicate(FieldTable change);
}
