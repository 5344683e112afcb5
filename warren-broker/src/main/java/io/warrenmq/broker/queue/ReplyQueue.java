package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.message.MessageCodec;
import io.warrenmq.store.sync.Syncable;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * RabbitMQ's direct reply-to (the pseudo-queue {@code amq.rabbitmq.reply-to}): a channel that
 * consumes from it with no-ack gets a private name {@code amq.rabbitmq.reply-to.<id>}; requests
 * carry it in reply-to, and replies published to the default exchange with that routing key go
 * straight to the consumer, never stored. Without its consumer the name routes nowhere.
 *
 * <p>Threading: thread-safe; the consumer field is volatile, deliveries go to the target's inbox.
 */
public final class ReplyQueue implements Queue {
  /** The name clients consume from and put in reply-to. */
  public static final String PSEUDO_QUEUE = "amq.rabbitmq.reply-to";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final QueueSpec spec;
  private final ByteBufAllocator alloc;
  private volatile @Nullable Consumer consumer;

  public ReplyQueue(String vhost, ByteBufAllocator alloc) {
    byte[] id = new byte[18];
    RANDOM.nextBytes(id);
    this.spec = new QueueSpec(vhost, PSEUDO_QUEUE + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(id),
        false, true, true, FieldTable.EMPTY);
    this.alloc = alloc;
  }

  public static boolean isReplyName(String name) {
    return name.startsWith(PSEUDO_QUEUE + ".");
  }

  @Override
  public QueueSpec spec() {
    return spec;
  }

  @Override
  public @Nullable Object exclusiveOwner() {
    Consumer c = consumer;
    return c == null ? null : c.owner();
  }

  @Override
  public EnqueueResult enqueue(Message message) {
    Consumer c = consumer;
    if (c == null || !c.active()) {
      return EnqueueResult.DROPPED;
    }
    ByteBuf payload = MessageCodec.encode(alloc, message, 0L);
    ByteBuf record = alloc.buffer(payload.readableBytes());
    record.writeBytes(payload);
    payload.release();
    c.target().deliver(c, new Delivery(c, this, 0, false, 1, true, record));
    return EnqueueResult.STORED;
  }

  @Override
  public Syncable syncTarget() {
    return () -> { };
  }

  @Override
  public @Nullable Delivery get(boolean noAck) {
    return null;
  }

  @Override
  public void addConsumer(Consumer c) {
    if (!c.noAck()) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "reply consumer cannot acknowledge");
    }
    consumer = c;
  }

  @Override
  public boolean removeConsumer(Consumer c) {
    c.deactivate();
    if (consumer == c) {
      consumer = null;
    }
    return false;
  }

  @Override
  public List<Consumer> consumers() {
    Consumer c = consumer;
    return c == null ? List.of() : List.of(c);
  }

  @Override
  public long messageCount() {
    return 0;
  }

  @Override
  public long unackedCount() {
    return 0;
  }

  @Override
  public int consumerCount() {
    return consumer == null ? 0 : 1;
  }

  @Override
  public long purge() {
    return 0;
  }

  @Override
  public void delete() {
    consumer = null;
  }

  @Override
  public boolean isDeleted() {
    return consumer == null;
  }

  @Override
  public void close() {
    consumer = null;
  }

  @Override
  public void dispatch() {}

  @Override
  public void ack(@Nullable Consumer c, long position) {}

  @Override
  public void ack(@Nullable Consumer c, long[] positions, int count) {}

  @Override
  public void requeue(@Nullable Consumer c, long[] positions, int count) {}

  @Override
  public void reject(@Nullable Consumer c, long[] positions, int count) {}
}
