package io.warrenmq.broker.exchange;

import io.warrenmq.broker.message.Message;

/** Routes every message to every binding, ignoring the routing key (AMQP 0-9-1 3.1.3.2). */
public final class FanoutExchange extends ArrayBindingsExchange {
  FanoutExchange(ExchangeSpec spec) {
    super(spec);
  }

  @Override
  public void route(Message message, String routingKey, RouteCollector out) {
    for (Binding b : current()) {
      out.add(b.destination());
    }
  }
}
