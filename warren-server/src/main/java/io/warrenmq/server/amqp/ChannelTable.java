package io.warrenmq.server.amqp;

import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.frame.Frame;
import io.warrenmq.amqp.frame.MethodFrame;
import io.warrenmq.amqp.method.ChannelOpen;
import io.warrenmq.amqp.method.ChannelOpenOk;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.server.amqp.channel.AmqpChannel;
import io.warrenmq.server.amqp.channel.FrameSink;
import io.warrenmq.server.amqp.channel.Session;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open channels of one connection by number: frames on channels 1 and up go to their channel,
 * or open one (channel.open, within the negotiated channel_max); the channels that handled frames
 * in the current read batch (the dirty list) get their end-of-batch work once the batch is read;
 * when the connection goes, every channel is released.
 *
 * <p>Threading: confined to the connection's event loop, as the {@link AmqpConnectionHandler}
 * that owns it; no locks. Only {@link #size()} and {@link #views()} are read from other threads
 * (management and ctl listings): the views are an immutable copy, replaced when a channel opens
 * or closes, so a reader sees a recent, consistent list.
 */
final class ChannelTable {
  private static final Logger log = LoggerFactory.getLogger(ChannelTable.class);

  private final IntObjectHashMap<AmqpChannel> channels = new IntObjectHashMap<>(4);
  private final List<AmqpChannel> dirty = new ArrayList<>(4);
  private volatile List<ChannelView> views = List.of();
  private final FrameSink sink;
  private final Session session;

  /**
   * @param sink what the channels write through (the connection)
   * @param session what the channels know of the connection once it is open
   */
  ChannelTable(FrameSink sink, Session session) {
    this.sink = sink;
    this.session = session;
  }

  /**
   * A frame on channel 1 or up (taken over): to its channel if open; otherwise only channel.open
   * is allowed, within {@code channelMax}, and is answered with channel.open-ok.
   */
  void handle(Frame frame, int channelMax) {
    int n = frame.channel();
    AmqpChannel ch = channels.get(n);
    if (ch != null) {
      ch.handle(frame);
      return;
    }
    ReferenceCountUtil.release(frame);
    checkChannelMax(channelMax);
    if (frame instanceof MethodFrame m && m.method() instanceof ChannelOpen) {
      session.broker().connectionLimits().checkChannel(session.user().name());
      channels.put(n, new AmqpChannel(n, sink, session));
      updateViews();
      sink.writeMethod(n, new ChannelOpenOk());
    } else if (frame instanceof MethodFrame m) {
      // RabbitMQ's texts: the channel exists but has not seen channel.open
      throw AmqpException.connectionError(ReplyCode.CHANNEL_ERROR, "expected 'channel.open'")
          .withMethod(m.method().classId(), m.method().methodId());
    } else {
      throw AmqpException.connectionError(
          ReplyCode.UNEXPECTED_FRAME, "expected method frame, got non method frame instead");
    }
  }

  /** The number of open channels. */
  int size() {
    return views.size();
  }

  /** The open channels' views; from any thread. */
  List<ChannelView> views() {
    return views;
  }

  private void updateViews() {
    List<ChannelView> l = new ArrayList<>(channels.size());
    for (AmqpChannel ch : channels.values()) {
      l.add(ch.view());
    }
    l.sort(java.util.Comparator.comparingInt(ChannelView::number));
    views = List.copyOf(l);
  }

  /**
   * RabbitMQ (rabbit_reader, create_channel) limits the number of open channels to the negotiated
   * channel_max; the channel number itself is not checked.
   */
  private void checkChannelMax(int max) {
    if (channels.size() >= max) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED,
          "number of channels opened (%d) has reached the negotiated channel_max (%d)", channels.size(), max);
    }
  }

  /** The channel closed and leaves the table. */
  void remove(AmqpChannel channel) {
    channels.remove(channel.number());
    dirty.remove(channel);
    updateViews();
  }

  /** The channel handled frames in this read batch. */
  void markDirty(AmqpChannel channel) {
    if (!dirty.contains(channel)) {
      dirty.add(channel);
    }
  }

  /** The read batch is over: each dirty channel does its end-of-batch work. */
  void readComplete() {
    if (!dirty.isEmpty()) {
      for (AmqpChannel ch : dirty) {
        ch.readComplete();
      }
      dirty.clear();
    }
  }

  /** The socket's writability changed: every channel hears of it. */
  void writabilityChanged(boolean writable) {
    for (AmqpChannel ch : List.copyOf(channels.values())) {
      ch.writabilityChanged(writable);
    }
  }

  /**
   * The connection is going: every channel releases what it holds (requeueing its unacked
   * messages), and the table empties. An error in one channel is logged and the rest go on.
   */
  void releaseAll(String connectionName) {
    for (AmqpChannel ch : List.copyOf(channels.values())) {
      try {
        ch.connectionClosed();
      } catch (RuntimeException e) {
        log.error("connection {}: error releasing channel {}", connectionName, ch.number(), e);
      }
    }
    channels.clear();
    dirty.clear();
    views = List.of();
  }
}
