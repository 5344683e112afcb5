package io.warrenmq.server.amqp.channel;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.frame.BodyFrame;
import io.warrenmq.amqp.frame.Frame;
import io.warrenmq.amqp.frame.Frames;
import io.warrenmq.amqp.frame.HeaderFrame;
import io.warrenmq.amqp.frame.HeartbeatFrame;
import io.warrenmq.amqp.frame.MethodFrame;
import io.warrenmq.amqp.method.BasicCancel;
import io.warrenmq.amqp.method.ChannelClose;
import io.warrenmq.amqp.method.ChannelCloseOk;
import io.warrenmq.amqp.method.ChannelOpen;
import io.warrenmq.amqp.method.Method;
import io.warrenmq.broker.auth.Permission.Access;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Envelope;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.broker.view.ChannelView;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP channel: its lifecycle (open, closing after an error, closed), the dispatch of its
 * frames, and deliveries to its consumers. The work is split among {@link
 * ChannelMethodDispatcher} (the switch over methods), {@link TopologyMethods} (exchange.*,
 * queue.*), {@link Publishing} (basic.publish, confirms, transactions), {@link Consuming}
 * (consume, cancel, get, qos, acknowledgements) and {@link ConsumerSink} (the broker's delivery
 * port).
 *
 * <p>Errors: a soft error (AmqpException.channelError) closes this channel with channel.close and
 * the channel then drops every frame but channel.close-ok; a hard error propagates to the
 * connection. Replies that must wait for the definitions to be durable suspend the channel:
 * frames arriving meanwhile wait in order.
 *
 * <p>Threading: confined to the connection's event loop, except what {@link ConsumerSink} says.
 */
public final class AmqpChannel {
  private static final Logger log = LoggerFactory.getLogger(AmqpChannel.class);

  private enum State {
    OPEN,
    CLOSING,
    CLOSED
  }

  private final int number;
  private final FrameSink sink;
  private final Session session;
  private final TopologyMethods topology;
  private final Publishing publishing;
  private final Consuming consuming;
  private final ConsumerSink consumerSink;
  private final ChannelMethodDispatcher methods;
  private final DeliveryEncoder deliveries = new DeliveryEncoder();
  private final ChannelTrace trace;
  private final ChannelInfo view;
  /** Counted on the event loop; folded into the vhost's totals when the channel goes. */
  private final MessageCounts counts = new MessageCounts();
  private State state = State.OPEN;
  private boolean suspended;
  private boolean retired;
  private final ArrayDeque<Frame> deferred = new ArrayDeque<>();

  public AmqpChannel(int number, FrameSink sink, Session session) {
    this.number = number;
    this.sink = sink;
    this.session = session;
    this.trace = new ChannelTrace(session, number);
    this.topology = new TopologyMethods(this, session);
    this.consumerSink = new ConsumerSink(this);
    this.publishing = new Publishing(this, session);
    this.consuming = new Consuming(this, session, consumerSink);
    this.methods = new ChannelMethodDispatcher(this, topology, publishing, consuming, consumerSink);
    this.view = new ChannelInfo(this, session.broker().pids().next(), session.view());
    session.vhost().stats().attach(counts);
    session.broker().stats().channelOpened();
  }

  /** The channel's message counters (written on the event loop only). */
  MessageCounts counts() {
    return counts;
  }

  public int number() {
    return number;
  }

  /** What listings (warrenctl list_channels, management) see of this channel; read from any thread. */
  public ChannelView view() {
    return view;
  }

  FrameSink sink() {
    return sink;
  }

  TopologyMethods topology() {
    return topology;
  }

  Publishing publishing() {
    return publishing;
  }

  Consuming consuming() {
    return consuming;
  }

  ChannelTrace trace() {
    return trace;
  }

  public boolean isOpen() {
    return state == State.OPEN;
  }

  public int consumerCount() {
    return consuming.consumerCount();
  }

  /**
   * Handles one frame for this channel; takes ownership of content frames. Soft errors close the
   * channel here; hard errors are thrown to the connection.
   */
  public void handle(Frame frame) {
    if (state != State.OPEN) {
      handleWhileClosing(frame);
      return;
    }
    if (suspended) {
      deferred.add(frame);
      return;
    }
    try {
      dispatch(frame);
    } catch (AmqpException e) {
      if (e.connectionLevel()) {
        throw e;
      }
      closeWithError(e);
    }
  }

  private void dispatch(Frame frame) {
    switch (frame) {
      case MethodFrame m -> {
        publishing.expectMethod();
        try {
          methods.handle(m.method());
        } catch (AmqpException e) {
          throw e.classId() == 0 ? e.withMethod(m.method().classId(), m.method().methodId()) : e;
        }
      }
      case HeaderFrame h -> publishing.header(h);
      case BodyFrame b -> publishing.body(b);
      case HeartbeatFrame h ->
          throw AmqpException.connectionError(ReplyCode.UNEXPECTED_FRAME, "heartbeat on channel %d", number);
    }
  }

  /** The client closed the channel (channel.close): everything is released, close-ok sent. */
  void closedByClient() {
    state = State.CLOSING;
    release();
    sink.writeMethod(number, new ChannelCloseOk());
    finish();
  }

  /**
   * After we sent channel.close: only close-ok (or the client's own close) matters, the rest is
   * dropped. A channel.open is still the hard error it is on an open channel, as in RabbitMQ
   * (rabbit_channel checks it before the closing state).
   */
  private void handleWhileClosing(Frame frame) {
    if (frame instanceof MethodFrame m) {
      if (m.method() instanceof ChannelCloseOk) {
        finish();
      } else if (m.method() instanceof ChannelClose) {
        sink.writeMethod(number, new ChannelCloseOk());
      } else if (m.method() instanceof ChannelOpen) {
        throw AmqpException.connectionError(ReplyCode.CHANNEL_ERROR, "second 'channel.open' seen")
            .withMethod(m.method().classId(), m.method().methodId());
      }
    } else if (frame instanceof io.netty.util.ReferenceCounted rc) {
      rc.release();
    }
  }

  /** A soft error: channel.close with its code and text; the channel waits for close-ok. */
  void closeWithError(AmqpException e) {
    log.debug("channel {} closed by the broker: {}", number, e.replyText());
    state = State.CLOSING;
    release();
    sink.writeMethod(number, new ChannelClose(e.replyCode().code(), e.replyText(), e.classId(), e.methodId()));
  }

  /** Sends a reply now (null = nowait, nothing to send). */
  void reply(@Nullable Method reply) {
    if (reply != null) {
      sink.writeMethod(number, reply);
    }
  }

  /**
   * A suspended operation failed (see {@link TopologyRunner}): a soft error closes the channel,
   * anything else the connection. On the event loop.
   */
  void failSuspended(RuntimeException e) {
    if (e instanceof AmqpException a && !a.connectionLevel() && state == State.OPEN) {
      suspended = false;
      closeWithError(a);
      sink.flush();
    } else {
      sink.fail(e);
    }
  }

  /**
   * Ends a suspension: sends the deferred reply, then the broker cancels held meanwhile (see
   * {@link ConsumerSink}), then handles the frames that waited.
   */
  void resume(@Nullable Method reply) {
    suspended = false;
    if (state == State.OPEN) {
      reply(reply);
      consumerSink.sendHeldCancels();
    }
    try {
      Frame f;
      while (!suspended && (f = deferred.poll()) != null) {
        handle(f);
      }
    } catch (RuntimeException e) {
      sink.fail(e);
    }
    sink.flush();
  }

  /** Suspends frame handling until {@link #resume} (tx.commit waiting for fsync). */
  void suspend() {
    suspended = true;
  }

  /** Whether a reply is pending (topology change or tx.commit waiting): frames wait meanwhile. */
  boolean suspended() {
    return suspended;
  }

  /** End of the connection's read batch: confirms of this batch go to the group committer. */
  public void readComplete() {
    publishing.flushConfirms();
  }

  /** The connection's socket became writable again: consumers may get more. */
  public void writabilityChanged(boolean writable) {
    if (writable && state == State.OPEN) {
      consuming.resumeDispatch();
    }
  }

  /** Writes basic.deliver with content for a consumer (called by the sink's drain). */
  void writeDelivery(Consumer c, Delivery d) {
    if (state != State.OPEN) {
      consuming.returnUndelivered(c, d);
      return;
    }
    long tag = consuming.track(c, d);
    counted(d);
    trace.delivered(d);
    ByteBuf out = deliveries.deliver(sink.alloc(), number, sink.frameMax(), c.tagShortStr(), tag,
        d.redelivered(), d.record());
    d.release();
    sink.write(out);
  }

  /** Writes the prebuilt frames of a delivery no store holds (no-ack), with its delivery tag. */
  void writeUnstored(Consumer c, ByteBuf frames) {
    if (state != State.OPEN) {
      frames.release();
      return;
    }
    DeliveryEncoder.patchTag(frames, c.tagShortStr(), consuming.nextTag());
    counts.add(MessageCounts.DELIVER_NO_ACK);
    sink.write(frames);
  }

  /** A consumer delivery goes out: rabbit_channel record_sent's deliver or deliver_no_ack, and redeliver. */
  private void counted(Delivery d) {
    counts.add(d.noAck() ? MessageCounts.DELIVER_NO_ACK : MessageCounts.DELIVER);
    if (d.redelivered()) {
      counts.add(MessageCounts.REDELIVER);
    }
  }

  /** A buffer large enough for a method frame and the content frames of {@code e}. */
  ByteBuf contentBuffer(Envelope e, int extra) {
    int frameMax = sink.frameMax();
    int body = e.bodySize();
    int size = 96 + 3 * (extra + e.exchange().length() + e.routingKey().length())
        + e.properties().readableBytes() + body + 8 * (body / Math.max(1, frameMax - 8) + 2);
    return sink.alloc().buffer(size);
  }

  /** Appends the content header and body frames (borrows both buffers). */
  void writeContent(ByteBuf out, ByteBuf properties, ByteBuf body) {
    Frames.writeHeader(out, number, body.readableBytes(), properties);
    Frames.writeBody(out, number, body, sink.frameMax());
  }

  /** The queue deleted the consumer: forget it, and tell the client if it asked to be told. */
  void consumerCancelledByBroker(Consumer c) {
    if (consuming.forget(c) && state == State.OPEN && session.consumerCancelNotify()) {
      sink.writeMethod(number, new BasicCancel(c.tag(), true));
    }
  }

  /** The channel's shared prefetch credit went up by {@code n} (acks). */
  void creditReturned(int n) {
    consuming.creditReturned(n);
  }

  /** Checks a permission of the channel's user in its vhost (403 if refused). */
  void check(Access access, String kind, String name) {
    session.broker().users().check(session.user(), session.vhost().name(), access, kind, name);
  }

  /**
   * Releases everything the channel holds: consumers are cancelled, unacked and undelivered
   * messages go back to their queues, half-assembled content is dropped.
   */
  private void release() {
    publishing.release();
    consuming.release();
    Frame f;
    while ((f = deferred.poll()) != null) {
      if (f instanceof io.netty.util.ReferenceCounted rc) {
        rc.release();
      }
    }
  }

  /** The channel is gone from the connection. */
  private void finish() {
    state = State.CLOSED;
    retire();
    session.channelClosed(this);
  }

  /** The connection is closing: release without any frame. */
  public void connectionClosed() {
    if (state == State.OPEN) {
      state = State.CLOSED;
      release();
    }
    state = State.CLOSED;
    retire();
  }

  /** Its counts stay in the vhost's totals (once: retiring twice is a no-op). */
  private void retire() {
    if (!retired) {
      retired = true;
      session.vhost().stats().retire(counts);
      session.broker().stats().channelClosed();
    }
  }
}
