/**
 * The AMQP connection: protocol header, handshake (start, SASL PLAIN and AMQPLAIN, tune, open), heartbeats, the channel table ({@code ChannelTable}), connection.close in both directions and the error model that turns {@code AmqpException}s into channel.close or connection.close ({@code ConnectionLifecycle}); {@code AmqpConnectionHandler} is the Netty handler that ties them together. Confined to the connection's event loop; depends on {@code server.amqp.channel}, the broker and warren-amqp.
 */
@NullMarked
package io.warrenmq.server.amqp;

import org.jspecify.annotations.NullMarked;
