/**
 * The durable definitions (vhosts, users, permissions, topic permissions, policies, exchanges, queues, bindings) as records in a {@code warren-store} record log, encoded as AMQP field tables; replayed at boot and compacted. Depends on {@code broker.exchange}, {@code broker.queue}, {@code broker.auth}.
 */
@NullMarked
package io.warrenmq.broker.definitions;

import org.jspecify.annotations.NullMarked;
