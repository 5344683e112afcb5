/**
 * Every AMQP 0-9-1 method, RabbitMQ's extensions included (66 in 8 classes), as an immutable record
 * under a sealed interface per class ({@link io.warrenmq.amqp.method.QueueMethod}, {@link
 * io.warrenmq.amqp.method.BasicMethod}, ...), so that dispatch is an exhaustive {@code switch}.
 * Records are named by the spec, flattened ({@code queue.declare} is {@link
 * io.warrenmq.amqp.method.QueueDeclare}); their components are the spec's arguments in camelCase,
 * without the reserved ones ({@code reserved-1}/ticket, out-of-band, channel-id, known-hosts,
 * capabilities, insist, cluster-id), which are written as zero or empty and skipped on decode.
 * {@link io.warrenmq.amqp.method.MethodCodec} reads and writes class id, method id and arguments.
 * Records are immutable and thread-safe; encoding and decoding borrow the caller's buffer. Depends
 * on {@code io.warrenmq.amqp} and {@code io.warrenmq.amqp.types}.
 */
@NullMarked
package io.warrenmq.amqp.method;

import org.jspecify.annotations.NullMarked;
