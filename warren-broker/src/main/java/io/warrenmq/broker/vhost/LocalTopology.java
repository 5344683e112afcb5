package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueSpec;

/** A single node's topology changes: straight to the vhost's registries. */
final class LocalTopology implements TopologyChanges {
  private final ExchangeRegistry exchanges;
  private final QueueRegistry queues;
  private final Bindings bindings;

  LocalTopology(ExchangeRegistry exchanges, QueueRegistry queues, Bindings bindings) {
    this.exchanges = exchanges;
    this.queues = queues;
    this.bindings = bindings;
  }

  @Override
  public Exchange declareExchange(ExchangeSpec spec) {
    return exchanges.declare(spec);
  }

  @Override
  public void deleteExchange(String name, boolean ifUnused) {
    exchanges.delete(name, ifUnused);
  }

  @Override
  public QueueDeclareResult declareQueue(QueueSpec spec, boolean serverNamed, Object connection) {
    return queues.declare(spec, serverNamed, connection);
  }

  @Override
  public long deleteQueue(String name, boolean ifUnused, boolean ifEmpty, Object connection) {
    return queues.delete(name, ifUnused, ifEmpty, connection);
  }

  @Override
  public void autoDelete(Queue q) {
    queues.autoDelete(q);
  }

  @Override
  public void expired(Queue q) {
    queues.expired(q);
  }

  @Override
  public void connectionClosed(Object connection) {
    queues.connectionClosed(connection);
  }

  @Override
  public boolean queueBinding(boolean add, boolean wait, String queue, String exchange, String key, FieldTable args,
      Object connection) {
    return bindings.queueBinding(add, wait, queue, exchange, key, args, connection);
  }

  @Override
  public boolean exchangeBinding(boolean add, boolean wait, String destination, String source, String key,
      FieldTable args) {
    return bindings.exchangeBinding(add, wait, destination, source, key, args);
  }
}
