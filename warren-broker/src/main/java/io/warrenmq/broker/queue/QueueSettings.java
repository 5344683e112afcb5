package io.warrenmq.broker.queue;

import io.warrenmq.broker.policy.EffectiveArguments;
import org.jspecify.annotations.Nullable;

/**
 * A queue's effective behaviour after its x-arguments and the policies that match it
 * ({@link EffectiveArguments}). Numbers are -1 when unset.
 *
 * @param messageTtl ms a message may wait (x-message-ttl / message-ttl)
 * @param expires ms the queue may stay unused before it is deleted (x-expires / expires)
 * @param maxLength most ready messages (x-max-length / max-length)
 * @param maxLengthBytes most body bytes of ready messages (x-max-length-bytes / max-length-bytes)
 * @param overflow what happens beyond the limits (x-overflow / overflow)
 * @param deadLetterExchange where dead letters go (x-dead-letter-exchange), null for nowhere
 * @param deadLetterRoutingKey their routing key (x-dead-letter-routing-key), null to keep theirs
 * @param maxPriority highest message priority, 0 for a plain queue (x-max-priority, arguments only)
 * @param deliveryLimit redeliveries allowed before a message is dead-lettered (x-delivery-limit),
 *     never negative when set: RabbitMQ 3.13.7 (rabbit_fifo, return_one) kills a returned message
 *     whose delivery count exceeds the limit, so a negative limit acts as 0
 * @param consumerTimeout ms a delivery may stay unacked before its consumer is cancelled
 * @param singleActiveConsumer only one consumer at a time receives (x-single-active-consumer)
 * @param retryDelay ms before a nacked/rejected-with-requeue message is ready again (WarrenMQ)
 * @param retryMultiplier factor applied to the delay per redelivery
 * @param retryMaxDelay cap of the delay
 * @param deduplication drop a message whose x-deduplication-header id is already in the queue
 * @param deduplicationCacheSize most ids remembered
 */
public record QueueSettings(
    long messageTtl,
    long expires,
    long maxLength,
    long maxLengthBytes,
    Overflow overflow,
    @Nullable String deadLetterExchange,
    @Nullable String deadLetterRoutingKey,
    int maxPriority,
    long deliveryLimit,
    long consumerTimeout,
    boolean singleActiveConsumer,
    long retryDelay,
    long retryMultiplier,
    long retryMaxDelay,
    boolean deduplication,
    long deduplicationCacheSize) {

  /** RabbitMQ's x-overflow behaviours. */
  public enum Overflow {
    DROP_HEAD,
    REJECT_PUBLISH,
    REJECT_PUBLISH_DLX;

    static Overflow parse(@Nullable String s) {
      if (s == null) {
        return DROP_HEAD;
      }
      return switch (s) {
        case "reject-publish" -> REJECT_PUBLISH;
        case "reject-publish-dlx" -> REJECT_PUBLISH_DLX;
        default -> DROP_HEAD;
      };
    }
  }

  /** A queue with no arguments and no policy. */
  public static final QueueSettings NONE = resolve(EffectiveArguments.of(io.warrenmq.amqp.types.FieldTable.EMPTY), 0, false);

  /**
   * Resolves the settings; max priority and single-active-consumer come from the arguments only
   * (RabbitMQ does not take them from policies).
   */
  public static QueueSettings resolve(EffectiveArguments a, int maxPriority, boolean singleActiveConsumer) {
    long dedupSize = a.getLong("deduplication-cache-size", -1);
    if (dedupSize < 0) {
      dedupSize = a.getLong("cache-size", 100_000);
    }
    QueueSettings s = new QueueSettings(
        a.getLong("message-ttl", -1),
        a.getLong("expires", -1),
        a.getLong("max-length", -1),
        a.getLong("max-length-bytes", -1),
        Overflow.parse(a.getString("overflow")),
        a.getString("dead-letter-exchange"),
        a.getString("dead-letter-routing-key"),
        maxPriority,
        a.get("delivery-limit") == null ? -1 : Math.max(0, a.getLong("delivery-limit", 0)),
        a.getLong("consumer-timeout", -1),
        singleActiveConsumer,
        a.getLong("retry-delay", -1),
        Math.max(1, a.getLong("retry-multiplier", 1)),
        a.getLong("retry-max-delay", -1),
        // the deduplication plugin's policy key is x-message-deduplication (its x- kept)
        a.getBoolean("message-deduplication") || a.getBoolean("x-message-deduplication"),
        dedupSize);
    return s.equals(NONE) ? NONE : s; // one instance for the many queues with no settings
  }

  public boolean limited() {
    return maxLength >= 0 || maxLengthBytes >= 0;
  }

  public boolean retries() {
    return retryDelay > 0;
  }

  /** The back-off before the {@code n}-th redelivery (n = 1 for the first retry). */
  public long retryDelayFor(int n) {
    double d = retryDelay * Math.pow(retryMultiplier, Math.max(0, n - 1));
    long max = retryMaxDelay > 0 ? retryMaxDelay : Long.MAX_VALUE / 4;
    return (long) Math.min(d, (double) max);
  }
}
