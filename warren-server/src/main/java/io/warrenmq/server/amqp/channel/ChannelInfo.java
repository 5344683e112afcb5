package io.warrenmq.server.amqp.channel;

import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;

/**
 * The {@link ChannelView} of one {@link AmqpChannel}: the rabbitmqctl list_channels items, read
 * from the channel's publishing and consuming sides.
 *
 * <p>Threading: may be called from any thread; it reads int and reference fields the channel's
 * event loop writes without locks, so a count may be slightly stale (never torn).
 */
final class ChannelInfo implements ChannelView {
  private final AmqpChannel channel;
  private final String pid;
  private final ConnectionView connection;

  ChannelInfo(AmqpChannel channel, String pid, ConnectionView connection) {
    this.channel = channel;
    this.pid = pid;
    this.connection = connection;
  }

  @Override
  public String pid() {
    return pid;
  }

  @Override
  public ConnectionView connection() {
    return connection;
  }

  @Override
  public int number() {
    return channel.number();
  }

  @Override
  public boolean transactional() {
    return channel.publishing().transactional();
  }

  @Override
  public boolean confirm() {
    return channel.publishing().confirmMode();
  }

  @Override
  public int consumerCount() {
    return channel.consuming().consumerCount();
  }

  @Override
  public int messagesUnacknowledged() {
    return channel.consuming().unackedCount();
  }

  @Override
  public long messagesUnconfirmed() {
    return channel.publishing().unconfirmedCount();
  }

  @Override
  public int messagesUncommitted() {
    return channel.publishing().uncommittedCount();
  }

  @Override
  public int acksUncommitted() {
    return channel.consuming().acksUncommitted();
  }

  @Override
  public int prefetchCount() {
    return channel.consuming().consumerPrefetch();
  }

  @Override
  public int globalPrefetchCount() {
    return channel.consuming().globalPrefetch();
  }

  @Override
  public MessageCounts counts() {
    return channel.counts();
  }

  @Override
  public String state() {
    return channel.isOpen() ? "running" : "closing";
  }

  @Override
  public String toString() {
    return "channel " + name() + " (" + pid + ")";
  }
}
