package io.warrenmq.server.amqp.channel;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.consumer.DeliveryTarget;
import java.util.ArrayDeque;
import io.warrenmq.broker.view.ChannelView;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The channel's side of the broker's delivery port. Queues hand deliveries over from whatever
 * thread dispatches (under their lock); the sink queues them in a lock-free inbox and schedules one
 * drain task on the connection's event loop, which writes them in order and flushes once.
 *
 * <p>A broker cancel (the consumer's queue was deleted) that the drain finds while the channel is
 * suspended waiting to send a reply is held until that reply is out: RabbitMQ's channel process
 * handles the queue's 'DOWN' only after the method it is busy with (a queue.delete of that very
 * queue, say) has been answered (rabbit_channel, handle_eol and handle_consuming_queue_down_or_eol),
 * so a client sees queue.delete-ok before the basic.cancel of its own consumer.
 *
 * <p>Threading: {@link #ready()}, {@link #deliver} and {@link #cancelledByBroker} are called from
 * any thread; everything else runs on the connection's event loop.
 */
final class ConsumerSink implements DeliveryTarget {
  /** Deliveries that may wait in the inbox; beyond, queues skip this channel until it drains. */
  private static final int INBOX_LIMIT = 256;

  private final AmqpChannel channel;
  private final Queue<Object[]> inbox = PlatformDependent.newMpscQueue(16, 1 << 30);
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicInteger queued = new AtomicInteger();
  private final Runnable drainTask = this::drain;
  /** Broker cancels waiting for the channel's pending reply; event loop only. */
  private final ArrayDeque<Consumer> heldCancels = new ArrayDeque<>();
  private volatile boolean open = true;
  private volatile boolean flowActive = true;
  /** A queue found the sink not ready (inbox full or socket unwritable) since the last drain. */
  private volatile boolean starved;

  ConsumerSink(AmqpChannel channel) {
    this.channel = channel;
  }

  @Override
  public ChannelView channel() {
    return channel.view();
  }

  @Override
  public boolean ready() {
    if (!open || !flowActive) {
      return false;
    }
    if (!channel.sink().isWritable()) {
      starved = true; // writabilityChanged asks the queues again
      return false;
    }
    if (queued.get() >= INBOX_LIMIT) {
      starved = true; // the drain asks the queues again...
      // ...unless it emptied the inbox before it could see the flag: look again
      return queued.get() < INBOX_LIMIT;
    }
    return true;
  }

  @Override
  public void deliver(Consumer consumer, Delivery delivery) {
    queued.incrementAndGet();
    inbox.offer(new Object[] {consumer, delivery});
    schedule();
  }

  /**
   * Encodes the message's deliver, header and body frames right away on the publishing thread
   * (the delivery tag is patched in when they are written) and queues them.
   */
  @Override
  public boolean deliverUnstored(Consumer consumer, Message message) {
    if (!open || channel.trace().enabled()) {
      return false; // the firehose traces deliveries from the stored record
    }
    ByteBuf frames = DeliveryEncoder.unstored(channel.sink().alloc(), channel.number(), channel.sink().frameMax(),
        consumer.tagShortStr(), message);
    queued.incrementAndGet();
    inbox.offer(new Object[] {consumer, frames});
    schedule();
    return true;
  }

  @Override
  public void cancelledByBroker(Consumer consumer) {
    inbox.offer(new Object[] {consumer, null});
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      channel.sink().executor().execute(drainTask);
    }
  }

  /** On the event loop: writes every queued delivery, then flushes. */
  void drain() {
    scheduled.set(false);
    boolean wrote = false;
    Object[] e;
    while ((e = inbox.poll()) != null) {
      Consumer c = (Consumer) e[0];
      Object item = e[1];
      if (item == null) {
        cancelled(c);
      } else if (item instanceof ByteBuf frames) {
        queued.decrementAndGet();
        channel.writeUnstored(c, frames);
      } else {
        queued.decrementAndGet();
        channel.writeDelivery(c, (Delivery) item);
      }
      wrote = true;
    }
    if (wrote) {
      channel.sink().flush();
    }
    if (starved && open && channel.sink().isWritable()) {
      // a queue skipped our consumers while the inbox was full: the inbox is empty now
      starved = false;
      channel.consuming().resumeDispatch();
    }
  }

  /** On the event loop: the broker cancelled {@code c}; told now, or after the pending reply. */
  private void cancelled(Consumer c) {
    if (channel.suspended()) {
      heldCancels.add(c);
    } else {
      channel.consumerCancelledByBroker(c);
    }
  }

  /** On the event loop: the channel sent the reply it was waiting for; the held cancels follow it. */
  void sendHeldCancels() {
    Consumer c;
    while ((c = heldCancels.poll()) != null) {
      channel.consumerCancelledByBroker(c);
    }
  }

  void setFlowActive(boolean active) {
    flowActive = active;
  }

  boolean flowActive() {
    return flowActive;
  }

  /** The channel is closing: deliveries still queued go back to their queues. */
  void close() {
    open = false;
    drain();
    heldCancels.clear(); // the channel forgets all its consumers anyway
  }
}
