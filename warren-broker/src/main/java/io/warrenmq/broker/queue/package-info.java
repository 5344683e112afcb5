/**
 * The {@link io.warrenmq.broker.queue.Queue} seam and the classic queue on top of a {@code warren-store} message store: enqueue, dispatch to consumers with round-robin and credit, get, ack, requeue, purge, exclusivity, auto-delete, argument validation and equivalence. A queue's state is changed under its own lock, one thread at a time. Never imports {@code broker.exchange}.
 */
@NullMarked
package io.warrenmq.broker.queue;

import org.jspecify.annotations.NullMarked;
