/**
 * Consumers as the queue sees them: tag, acknowledgement mode, prefetch credit (per consumer and per channel) and the {@link io.warrenmq.broker.consumer.DeliveryTarget} port that the server's AMQP channel implements. Depends on {@code broker.message} and {@code broker.view}.
 */
@NullMarked
package io.warrenmq.broker.consumer;

import org.jspecify.annotations.NullMarked;
