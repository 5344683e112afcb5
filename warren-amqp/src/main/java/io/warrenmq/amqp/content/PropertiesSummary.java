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
 */
public record PropertiesSummary(
    int deliveryMode, int priority, @Nullable String expiration, boolean hasHeaders) {

  /** Whether delivery-mode is 2 (persistent). */
  public boolean persistent() {
    return deliveryMode == 2;
  }
}
