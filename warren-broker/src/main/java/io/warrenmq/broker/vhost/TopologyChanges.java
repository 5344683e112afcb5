package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueSpec;

/**
 * How a vhost's topology is changed: on a single node directly in its registries
 * ({@link LocalTopology}), on a cluster node through the metadata log ({@link ClusterTopology}).
 * The checks and texts are RabbitMQ's either way.
 */
interface TopologyChanges {
  Exchange declareExchange(ExchangeSpec spec);

  void deleteExchange(String name, boolean ifUnused);

  QueueDeclareResult declareQueue(QueueSpec spec, boolean serverNamed, Object connection);

  long deleteQueue(String name, boolean ifUnused, boolean ifEmpty, Object connection);

  /** An auto-delete queue lost its last consumer. */
  void autoDelete(Queue q);

  /** A queue's x-expires fired. */
  void expired(Queue q);

  /** A connection closed: its exclusive queues go. */
  void connectionClosed(Object connection);

  /**
   * queue.bind ({@code add}) or queue.unbind; with {@code wait} false (an event loop) only if it
   * can be done at once: false means nothing was done, call again with {@code wait}.
   */
  boolean queueBinding(boolean add, boolean wait, String queue, String exchange, String key, FieldTable args,
      Object connection);

  /** exchange.bind ({@code add}) or exchange.unbind, {@code wait} as for {@link #queueBinding}. */
  boolean exchangeBinding(boolean add, boolean wait, String destination, String source, String key, FieldTable args);
}
