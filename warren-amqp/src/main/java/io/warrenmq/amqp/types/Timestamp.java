package io.warrenmq.amqp.types;

/** Field value type {@code 'T'}: a POSIX time in seconds (spec 4.2.5.4), 64 bits. */
public record Timestamp(long epochSeconds) {}
