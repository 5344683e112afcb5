/**
 * The AMQP 0-9-1 error model and protocol constants shared by every other package of the wire
 * codec: {@link io.warrenmq.amqp.ReplyCode} (the spec's reply codes with their soft/hard class),
 * {@link io.warrenmq.amqp.AmqpException} (a channel or connection error carrying RabbitMQ's {@code
 * "CODE - text"} reply text) and {@link io.warrenmq.amqp.AmqpConstants}. Depends on the JDK only.
 */
@NullMarked
package io.warrenmq.amqp;

import org.jspecify.annotations.NullMarked;
