/**
 * A published message as the broker sees it ({@link io.warrenmq.broker.message.Message}: exchange, routing key, raw content-header properties and body, all borrowed from the publisher's frames) the routing keys RabbitMQ keeps beside the properties ({@link io.warrenmq.broker.message.Routing}), the x-death history ({@link io.warrenmq.broker.message.DeathHistory}) and the layout of a message record in a queue's segment files ({@link io.warrenmq.broker.message.MessageCodec}, {@link io.warrenmq.broker.message.Envelope}). Depends only on {@code warren-amqp}'s types and content packages and netty-buffer.
 */
@NullMarked
package io.warrenmq.broker.message;

import org.jspecify.annotations.NullMarked;
