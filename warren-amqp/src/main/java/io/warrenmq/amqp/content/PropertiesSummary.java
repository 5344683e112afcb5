package io.warrenmq.amqp.content;

import org.jspecify.annotations.Nullable;

/**
 * What the publish path needs to know about a message's properties, read without building the
 * headers table: see {@link BasicPropertiesCodec#summarize}.
 *
 * @param deliveryMode the delivery-mode property, 0 when absent (2 means persistent)
 * @param priority the priority property, -1 when absent
 * @param expiration the expiration property (per-message TTL in milliseconds, as text), null when
 *     absent
 * @param hasHeaders whether the headers property is present
 * @param ccType the type letter of the top-level {@code CC} header (its first occurrence), 0 when
 *     there is none ({@code 'A'} for the array RabbitMQ requires)
 * @param bccType the same for the {@code BCC} header
 * @param hasXDeath whether a top-level {@code x-death} header is present, of any type
 */
public record PropertiesSummary(
    int deliveryMode,
    int priority,
    @Nullable String expiration,
    boolean hasHeaders,
    int ccType,
    int bccType,
    boolean hasXDeath) {

  /** The type letter of a field array. */
  public static final int ARRAY = 'A';

  /** Whether delivery-mode is 2 (persistent). */
  public boolean persistent() {
    return deliveryMode == 2;
  }

  /** Whether a CC or BCC header is an array: sender-selected distribution adds routing keys. */
  public boolean hasRoutingHeaders() {
    return ccType == ARRAY || bccType == ARRAY;
  }
}
