/**
 * The AMQP connection: protocol header, handshake (start, SASL PLAIN and AMQPLAIN, tune, open), heartbeats, the channel table, connection.close in both directions and the error model that turns {@code AmqpException}s into channel.close or connection.close. Confined to the connection's event loop; depends on {@code server.amqp.channel}, the broker and warren-amqp.
 */
@NullMarked
package io.warrenmq.server.amqp;

import org.jspecify.annotations.NullMarked;
