package io.warrenmq.broker.consumer;

import io.netty.buffer.ByteBuf;
import io.warrenmq.broker.message.Envelope;
import org.jspecify.annotations.Nullable;

/**
 * One message handed from a queue to a consumer (or to basic.get): the record read from the store
 * and the facts the channel needs to write basic.deliver / basic.get-ok and to route the ack back.
 *
 * <p>Buffers: the delivery OWNS {@code record}; whoever consumes the delivery (the channel, after
 * writing the frames) releases it with {@link #release()}.
 *
 * @param consumer the consumer it was assigned to; null for basic.get
 * @param source the queue to ack it to
 * @param position the record's position in the queue's store
 * @param redelivered whether it was delivered before (AMQP basic.deliver redelivered)
 * @param deliveryCount how many times it has been handed out, this time included
 * @param noAck the queue already forgot it (a no-ack consumer or get): never ack it
 */
public record Delivery(
    @Nullable Consumer consumer,
    MessageSource source,
    long position,
    boolean redelivered,
    int deliveryCount,
    boolean noAck,
    ByteBuf record) {

  public Envelope envelope() {
    return Envelope.parse(record);
  }

  public void release() {
    record.release();
  }
}
