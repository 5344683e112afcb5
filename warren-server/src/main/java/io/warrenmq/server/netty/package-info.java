/**
 * The Netty side of the AMQP listener: event-loop groups (epoll where available, NIO otherwise), the channel initializer with the pipeline's handler names, socket options and write-buffer water marks, and the PROXY protocol header in front of a connection ({@code ProxyProtocolHandler}). Depends on {@code server.amqp}.
 */
@NullMarked
package io.warrenmq.server.netty;

import org.jspecify.annotations.NullMarked;
