package io.warrenmq.server.amqp;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.server.amqp.channel.AmqpChannel;
import io.warrenmq.server.amqp.channel.Session;
import io.warrenmq.server.config.BrokerConfig;

/**
 * What a connection's channels know of it once it is open ({@link Session}): the user and vhost
 * its handshake settled, the client's capabilities, the limits from the configuration, and the
 * way back to the connection (its table, its publisher throttle).
 *
 * <p>Threading: the connection's event loop, as the handler it belongs to.
 */
final class ConnectionSession implements Session {
  private final AmqpConnectionHandler connection;
  private final BrokerConfig config;
  private final Broker broker;

  ConnectionSession(AmqpConnectionHandler connection, BrokerConfig config, Broker broker) {
    this.connection = connection;
    this.config = config;
    this.broker = broker;
  }

  @Override
  public Broker broker() {
    return broker;
  }

  @Override
  public VirtualHost vhost() {
    VirtualHost v = connection.handshake().vhost();
    if (v == null) {
      throw new IllegalStateException("connection not open");
    }
    return v;
  }

  @Override
  public User user() {
    User u = connection.handshake().user();
    if (u == null) {
      throw new IllegalStateException("connection not authenticated");
    }
    return u;
  }

  @Override
  public String name() {
    return connection.name();
  }

  @Override
  public Object owner() {
    return connection.owner();
  }

  @Override
  public boolean consumerCancelNotify() {
    return connection.handshake().capability("consumer_cancel_notify");
  }

  @Override
  public long maxMessageSize() {
    return config.maxMessageSize();
  }

  @Override
  public int consumersPerChannel() {
    return config.consumersPerChannel();
  }

  @Override
  public ConnectionView view() {
    return connection.view();
  }

  @Override
  public void channelClosed(AmqpChannel channel) {
    connection.channelClosed(channel);
  }

  @Override
  public void publishedToBehindQueue(Queue queue) {
    connection.publishedToBehindQueue(queue);
  }
}
