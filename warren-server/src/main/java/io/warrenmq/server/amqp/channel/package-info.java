/**
 * The AMQP channel, split by responsibility: the method dispatcher, the publish assembler (method, header, body), publisher confirms, the unacked-delivery tracker, the consumer sink that implements the broker's DeliveryTarget, and transactions. A channel writes through the narrow {@link io.warrenmq.server.amqp.channel.FrameSink} and never imports the connection. Confined to the connection's event loop, except the sink's entry points called by queues.
 */
@NullMarked
package io.warrenmq.server.amqp.channel;

import org.jspecify.annotations.NullMarked;
