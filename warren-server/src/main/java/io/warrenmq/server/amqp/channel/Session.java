package io.warrenmq.server.amqp.channel;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;

/**
 * What a channel knows of its connection once it is open: who is logged in, in which vhost, and
 * what the client announced. Immutable after connection.open.
 */
public interface Session {
  Broker broker();

  VirtualHost vhost();

  User user();

  /** The connection's name, as listings show it ("127.0.0.1:50412 -> 127.0.0.1:5672"). */
  String name();

  /** The identity exclusive queues and consumers are owned by: the connection. */
  Object owner();

  /** The client announced capabilities.consumer_cancel_notify. */
  boolean consumerCancelNotify();

  long maxMessageSize();

  int consumersPerChannel();

  /** The connection as the broker's tools see it. */
  ConnectionView view();

  /** The channel is closed and must leave the connection's table. */
  void channelClosed(AmqpChannel channel);

  /**
   * A publish went to {@code queue}, which is {@linkplain io.warrenmq.broker.queue.QueueFlow#behind()
   * behind}: the connection stops reading until it has caught up (state "flow"). Event loop.
   */
  default void publishedToBehindQueue(io.warrenmq.broker.queue.Queue queue) {}
}
