package io.warrenmq.broker.consumer;

import io.warrenmq.amqp.types.FieldTable;
import org.jspecify.annotations.Nullable;

/**
 * A consumer as its queue sees it: tag, acknowledgement mode, exclusivity, priority, prefetch
 * credit and the channel it delivers to.
 *
 * <p>Threading: {@link #unacked} and {@link #active} are changed only under the owning queue's
 * lock; the rest is immutable.
 */
public final class Consumer {
  private final String tag;
  private final MessageSource queue;
  private final DeliveryTarget target;
  private final boolean noAck;
  private final boolean exclusive;
  private final int prefetch;
  private final ChannelCredit channelCredit;
  private final FieldTable arguments;
  private final int priority;
  private final Object owner;

  private byte @Nullable [] tagShortStr;
  private int unacked;
  private boolean active = true;
  private volatile long timeoutMs = -1;

  /**
   * @param prefetch per-consumer prefetch count (basic.qos global=false); 0 = unlimited
   * @param channelCredit the channel's shared credit (basic.qos global=true)
   * @param owner the connection the consumer belongs to (for exclusive queues)
   */
  public Consumer(
      String tag,
      MessageSource queue,
      DeliveryTarget target,
      boolean noAck,
      boolean exclusive,
      int prefetch,
      ChannelCredit channelCredit,
      FieldTable arguments,
      int priority,
      Object owner) {
    this.tag = tag;
    this.queue = queue;
    this.target = target;
    this.noAck = noAck;
    this.exclusive = exclusive;
    this.prefetch = prefetch;
    this.channelCredit = channelCredit;
    this.arguments = arguments;
    this.priority = priority;
    this.owner = owner;
  }

  public String tag() {
    return tag;
  }

  /** The tag as an AMQP shortstr (length octet, UTF-8 bytes), for encoders; computed once. */
  public byte[] tagShortStr() {
    byte[] b = tagShortStr;
    if (b == null) {
      byte[] utf8 = tag.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      b = new byte[utf8.length + 1];
      b[0] = (byte) utf8.length;
      System.arraycopy(utf8, 0, b, 1, utf8.length);
      tagShortStr = b;
    }
    return b;
  }

  public MessageSource queue() {
    return queue;
  }

  public DeliveryTarget target() {
    return target;
  }

  public boolean noAck() {
    return noAck;
  }

  public boolean exclusive() {
    return exclusive;
  }

  public int prefetch() {
    return prefetch;
  }

  public FieldTable arguments() {
    return arguments;
  }

  public int priority() {
    return priority;
  }

  public Object owner() {
    return owner;
  }

  public ChannelCredit channelCredit() {
    return channelCredit;
  }

  /**
   * How long a delivery may stay unacknowledged before the consumer is cancelled (x-consumer-timeout
   * of the consumer or its queue); -1 for no limit.
   */
  public long timeoutMs() {
    return timeoutMs;
  }

  public void setTimeoutMs(long ms) {
    this.timeoutMs = ms;
  }

  /** Under the queue lock: messages delivered and not yet acked. */
  public int unacked() {
    return unacked;
  }

  /**
   * Under the queue lock: takes credit for one delivery if both the consumer's and the channel's
   * prefetch allow it and the channel is ready. No-ack consumers take no credit and ignore their
   * own prefetch, but wait while the channel is at its global limit (RabbitMQ rabbit_limiter,
   * can_send: a delivery without AckRequired adds no volume, yet is refused while
   * prefetch_limit_reached; rabbit_queue_consumers asks can_send for every consumer).
   */
  public boolean tryTakeCredit() {
    if (!active || !target.ready()) {
      return false;
    }
    if (noAck) {
      return !channelCredit.limitReached();
    }
    if (prefetch > 0 && unacked >= prefetch) {
      return false;
    }
    if (!channelCredit.tryAcquire()) {
      return false;
    }
    unacked++;
    return true;
  }

  /** Under the queue lock: gives back credit taken by {@link #tryTakeCredit()} but not used. */
  public void refundCredit() {
    if (!noAck) {
      unacked = Math.max(0, unacked - 1);
      channelCredit.release(1);
    }
  }

  /** Under the queue lock: n deliveries were settled (acked, rejected or requeued). */
  public void settled(int n) {
    unacked = Math.max(0, unacked - n);
  }

  /** Under the queue lock: the consumer stops receiving (cancelled). */
  public void deactivate() {
    active = false;
  }

  public boolean active() {
    return active;
  }

  /** The channel became ready again (writable, flow on, credit freed): the queue may dispatch. */
  public void queueReady() {
    if (queue instanceof Dispatchable d) {
      d.dispatch();
    }
  }

  /** A source that can be asked to try delivering now. */
  public interface Dispatchable {
    void dispatch();
  }

  @Override
  public String toString() {
    return "Consumer[" + tag + " on " + queue.name() + "]";
  }
}
