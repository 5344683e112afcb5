package io.warrenmq.broker.exchange;

import java.util.List;

/**
 * An exchange whose bindings are one copy-on-write array: routing reads it without a lock, a
 * change replaces it (fanout and headers exchanges, which look at every binding anyway).
 */
abstract sealed class ArrayBindingsExchange extends Exchange permits FanoutExchange, HeadersExchange {
  private volatile Binding[] bindings = BindingArrays.EMPTY;

  ArrayBindingsExchange(ExchangeSpec spec) {
    super(spec);
  }

  /** The bindings now, for routing; never modified in place. */
  protected final Binding[] current() {
    return bindings;
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
