package io.warrenmq.broker.exchange;

import io.warrenmq.broker.queue.Queue;

/** The far end of a binding: a queue, or another exchange (RabbitMQ exchange-to-exchange binding). */
public sealed interface Destination {
  String name();

  /** "queue" or "exchange", as RabbitMQ names destination kinds. */
  String kind();

  /** A binding to a queue; equality is the queue object's identity. */
  record ToQueue(Queue queue) implements Destination {
    @Override
    public String name() {
      return queue.name();
    }

    @Override
    public String kind() {
      return "queue";
    }
  }

  /** A binding to an exchange; equality is the exchange object's identity. */
  record ToExchange(Exchange exchange) implements Destination {
    @Override
    public String name() {
      return exchange.name();
    }

    @Override
    public String kind() {
      return "exchange";
    }
  }
}
