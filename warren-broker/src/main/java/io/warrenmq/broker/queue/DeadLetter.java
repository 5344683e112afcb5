package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;

/**
 * A message leaving a queue for its dead-letter exchange: the stored record (owned: whoever
 * publishes it releases it) and RabbitMQ's reason: {@code rejected}, {@code expired},
 * {@code maxlen} or {@code delivery_limit}.
 */
public record DeadLetter(ByteBuf record, String reason) {}
