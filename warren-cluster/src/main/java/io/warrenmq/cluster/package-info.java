/**
 * Clustering on Apache Ratis: the nodes' metadata log (one Raft group over every node, the role
 * Khepri has in RabbitMQ), the members and their status.
 */
@NullMarked
package io.warrenmq.cluster;

import org.jspecify.annotations.NullMarked;
