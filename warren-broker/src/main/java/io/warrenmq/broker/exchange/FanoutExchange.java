package io.warrenmq.broker.exchange;

import io.warrenmq.broker.message.Message;
import java.util.List;

/** Routes every message to every binding, ignoring the routing key (AMQP 0-9-1 3.1.3.2). */
public final class FanoutExchange extends Exchange {
  private volatile Binding[] bindings = BindingArrays.EMPTY;

  FanoutExchange(ExchangeSpec spec) {
    super(spec);
  }

  @Override
  public void route(Message message, String routingKey, RouteCollector out) {
    for (Binding b : bindings) {
      out.add(b.destination());
    }
  }

  @Override
  public synchronized boolean bind(Binding binding) {
    if (BindingArrays.contains(bindings, binding)) {
      return false;
    }
    bindings = BindingArrays.with(bindings, binding);
    return true;
  }

  @Override
  public synchronized boolean unbind(Binding binding) {
    Binding[] before = bindings;
    bindings = BindingArrays.without(before, binding);
    return bindings != before;
  }

  @Override
  public List<Binding> bindings() {
    return List.of(bindings);
  }

  @Override
  public boolean hasBindings() {
    return bindings.length > 0;
  }
}
