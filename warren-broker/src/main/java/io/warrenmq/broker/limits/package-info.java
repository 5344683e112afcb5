/**
 * Vhost limits ({@code max-connections}, {@code max-queues}; RabbitMQ's vhost-limits runtime
 * parameter) and user limits ({@code max-connections}, {@code max-channels}; stored with the
 * user): their values with RabbitMQ's validation and texts, and the checks made at
 * connection.open, channel.open and queue.declare, with RabbitMQ 3.13.7's refusals. Nothing here
 * runs per message. Depends on warren-amqp's errors and {@code broker.term}.
 */
@NullMarked
package io.warrenmq.broker.limits;

import org.jspecify.annotations.NullMarked;
