/**
 * AMQP 0-9-1 framing on Netty (spec 4.2.3): the {@link io.warrenmq.amqp.frame.Frame} types, the
 * {@link io.warrenmq.amqp.frame.ProtocolHeaderDecoder} that checks {@code "AMQP" 0 0 9 1} and
 * replaces itself with a {@link io.warrenmq.amqp.frame.FrameDecoder}, the {@code @Sharable} {@link
 * io.warrenmq.amqp.frame.FrameEncoder}, and {@link io.warrenmq.amqp.frame.Frames}, static writers
 * for the server's hot path (including splitting a body into frames of at most frame-max). The
 * decoders enforce the limits that need no protocol state (frame-max, frame-end octet, frame
 * types); which frame may come when is the connection and channel state machines' business. This is
 * the only package of {@code warren-amqp} that imports {@code io.netty.channel}. Depends on every
 * other package of the module and on netty-codec-base and netty-transport.
 */
@NullMarked
package io.warrenmq.amqp.frame;

import org.jspecify.annotations.NullMarked;
