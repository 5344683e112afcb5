/**
 * AMQP 0-9-1 field values and their wire codec, using RabbitMQ's type letters (the "field table"
 * grammar of spec 4.2.5.5 as amended by RabbitMQ's errata): {@link
 * io.warrenmq.amqp.types.FieldTable}, the value types that have no exact JDK counterpart ({@link
 * io.warrenmq.amqp.types.LongString}, the unsigned records, {@link
 * io.warrenmq.amqp.types.Timestamp}, {@link io.warrenmq.amqp.types.ByteArray}) and {@link
 * io.warrenmq.amqp.types.FieldCodec} for shortstr, longstr, tables, arrays and single values. Every
 * letter maps to exactly one Java type so that a value keeps its letter across a decode and
 * re-encode. Depends on {@code io.warrenmq.amqp} and netty-buffer.
 */
@NullMarked
package io.warrenmq.amqp.types;

import org.jspecify.annotations.NullMarked;
