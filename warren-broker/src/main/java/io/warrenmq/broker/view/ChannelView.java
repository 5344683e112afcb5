package io.warrenmq.broker.view;

import io.warrenmq.broker.stats.MessageCounts;

/**
 * What the broker and its tools may know of an AMQP channel: the items of rabbitmqctl
 * list_channels (rabbit_channel info keys) and of the management API's channel objects. The server
 * implements it.
 *
 * <p>Threading: every getter may be called from any thread; it reads fields the channel's event
 * loop writes without locks, so a value may be slightly stale, never torn.
 */
public interface ChannelView {
  /** The channel's synthetic pid ({@link Pids}). */
  String pid();

  /** The connection the channel belongs to. */
  ConnectionView connection();

  /** The channel number. */
  int number();

  /** RabbitMQ's channel name: the connection's name and the number, "127.0.0.1:50412 -> 127.0.0.1:5672 (1)". */
  default String name() {
    return connection().name() + " (" + number() + ")";
  }

  default String userName() {
    return connection().userName();
  }

  default String vhostName() {
    return connection().vhostName();
  }

  /** tx.select was sent. */
  boolean transactional();

  /** confirm.select was sent. */
  boolean confirm();

  int consumerCount();

  /** Deliveries awaiting acknowledgement. */
  int messagesUnacknowledged();

  /** Publishes not yet confirmed (confirm mode). */
  long messagesUnconfirmed();

  /** Publishes of the open transaction. */
  int messagesUncommitted();

  /** Acknowledgements of the open transaction. */
  int acksUncommitted();

  /** The prefetch count new consumers get (basic.qos global=false). */
  int prefetchCount();

  /** The channel-wide prefetch limit (basic.qos global=true); 0 = none. */
  int globalPrefetchCount();

  /** "running", or "closing" after the broker sent channel.close. */
  String state();

  /** The channel's message counters (publish, confirm, deliver, ack, ...). */
  MessageCounts counts();
}
