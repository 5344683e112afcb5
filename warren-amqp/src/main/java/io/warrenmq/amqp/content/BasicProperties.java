package io.warrenmq.amqp.content;

import io.warrenmq.amqp.types.FieldTable;
import org.jspecify.annotations.Nullable;

/**
 * The 14 content header properties of class {@code basic} (spec 1.8.2, "basic" class properties). A
 * null component is an absent property; its flag bit is clear on the wire. An empty headers table
 * is present and distinct from null. Immutable and thread-safe.
 *
 * @param deliveryMode 1 (transient) or 2 (persistent); any octet is carried
 * @param priority 0 to 255 on the wire; RabbitMQ uses 0 to 9 (or x-max-priority)
 * @param expiration per-message TTL in milliseconds, as text (RabbitMQ's interpretation)
 * @param timestamp POSIX time in seconds
 */
public record BasicProperties(
    @Nullable String contentType,
    @Nullable String contentEncoding,
    @Nullable FieldTable headers,
    @Nullable Integer deliveryMode,
    @Nullable Integer priority,
    @Nullable String correlationId,
    @Nullable String replyTo,
    @Nullable String expiration,
    @Nullable String messageId,
    @Nullable Long timestamp,
    @Nullable String type,
    @Nullable String userId,
    @Nullable String appId,
    @Nullable String clusterId) {

  /** No properties at all. */
  public static final BasicProperties EMPTY =
      new BasicProperties(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  public BasicProperties {
    checkOctet(deliveryMode, "delivery-mode");
    checkOctet(priority, "priority");
  }

  private static void checkOctet(@Nullable Integer value, String name) {
    if (value != null && (value < 0 || value > 0xFF)) {
      throw new IllegalArgumentException(name + " is not an octet: " + value);
    }
  }

  /** Whether delivery-mode is 2 (persistent). */
  public boolean persistent() {
    return deliveryMode != null && deliveryMode == 2;
  }

  public BasicProperties withContentType(@Nullable String v) {
    return new BasicProperties(
        v,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withContentEncoding(@Nullable String v) {
    return new BasicProperties(
        contentType,
        v,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withHeaders(@Nullable FieldTable v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        v,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withDeliveryMode(@Nullable Integer v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        v,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withPriority(@Nullable Integer v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        v,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withCorrelationId(@Nullable String v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        v,
        replyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withReplyTo(@Nullable String v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        v,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withExpiration(@Nullable String v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        v,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withMessageId(@Nullable String v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        v,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withTimestamp(@Nullable Long v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        v,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withType(@Nullable String v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp,
        v,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withUserId(@Nullable String v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp,
        type,
        v,
        appId,
        clusterId);
  }

  public BasicProperties withAppId(@Nullable String v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        v,
        clusterId);
  }

  public BasicProperties withClusterId(@Nullable String v) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        v);
  }
}
