package io.warrenmq.broker.exchange;

import io.warrenmq.broker.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Routes to the bindings whose key equals the routing key (AMQP 0-9-1 3.1.3.1). */
public final class DirectExchange extends Exchange {
  private final Map<String, Binding[]> byKey = new ConcurrentHashMap<>();
  private volatile int count;

  DirectExchange(ExchangeSpec spec) {
    super(spec);
  }

  @Override
  public void route(Message message, String routingKey, RouteCollector out) {
    Binding[] bs = byKey.get(routingKey);
    if (bs != null) {
      for (Binding b : bs) {
        out.add(b.destination());
      }
    }
  }

  @Override
  public synchronized boolean bind(Binding binding) {
    Binding[] bs = byKey.getOrDefault(binding.routingKey(), BindingArrays.EMPTY);
    if (BindingArrays.contains(bs, binding)) {
      return false;
    }
    byKey.put(binding.routingKey(), BindingArrays.with(bs, binding));
    count++;
    return true;
  }

  @Override
  public synchronized boolean unbind(Binding binding) {
    Binding[] bs = byKey.get(binding.routingKey());
    if (bs == null) {
      return false;
    }
    Binding[] after = BindingArrays.without(bs, binding);
    if (after == bs) {
      return false;
    }
    if (after.length == 0) {
      byKey.remove(binding.routingKey());
    } else {
      byKey.put(binding.routingKey(), after);
    }
    count--;
    return true;
  }

  @Override
  public List<Binding> bindings() {
    List<Binding> out = new ArrayList<>();
    byKey.values().forEach(bs -> out.addAll(List.of(bs)));
    return out;
  }

  @Override
  public boolean hasBindings() {
    return count > 0;
  }
}
