package io.warrenmq.broker.exchange;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.ArgumentTypes;
import io.warrenmq.broker.queue.Queue;
import java.util.List;

/**
 * RabbitMQ's delayed message exchange ({@code x-delayed-message}, from the plugin): a message with
 * a positive {@code x-delay} header (milliseconds) is held, on disk, and routed when its delay is
 * over; other messages are routed at once. Routing follows the exchange type named by the
 * {@code x-delayed-type} argument. The held messages live in a store of their own (a
 * {@link Queue} without consumers, see {@code DelayedMessages}), so they cost no heap, survive a
 * restart when the exchange is durable and the message persistent, and wait as long as asked.
 */
public final class DelayedMessageExchange extends Exchange {
  private final Exchange inner;
  private final Queue held;

  /**
   * @param held where delayed messages wait; it routes them through {@link #routeNow} when due
   */
  public DelayedMessageExchange(ExchangeSpec spec, Queue held) {
    super(spec);
    this.inner = Exchange.create(new ExchangeSpec(spec.vhost(), spec.name(), delayedType(spec), spec.durable(),
        spec.autoDelete(), spec.internal(), spec.arguments()));
    this.held = held;
  }

  /** The x-delayed-type argument; 406 if it is missing or not an exchange type (as the plugin). */
  public static String delayedType(ExchangeSpec spec) {
    String t = spec.arguments().getString("x-delayed-type");
    if (t == null || !TYPES.contains(t) || t.equals("x-delayed-message")) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "Invalid argument, 'x-delayed-type' must be an existing exchange type");
    }
    return t;
  }

  /** The store of held messages. */
  public Queue held() {
    return held;
  }

  /** The delay asked by the message's x-delay header, 0 for none. */
  public static long delayOf(Message m) {
    if (!m.summary().hasHeaders()) {
      return 0;
    }
    FieldTable h = m.properties().headers();
    Object v = h == null ? null : h.get("x-delay");
    return v != null && ArgumentTypes.isInteger(v) ? Math.max(0, ArgumentTypes.longValue(v)) : 0;
  }

  @Override
  public void route(Message message, String routingKey, RouteCollector out) {
    if (delayOf(message) > 0) {
      out.addQueue(held);
    } else {
      inner.route(message, routingKey, out);
    }
  }

  /** Routes a message whose delay is over, by the bindings. */
  public void routeNow(Message message, String routingKey, RouteCollector out) {
    inner.route(message, routingKey, out);
  }

  @Override
  public boolean bind(Binding binding) {
    return inner.bind(rebind(binding));
  }

  @Override
  public boolean unbind(Binding binding) {
    return inner.unbind(rebind(binding));
  }

  /** Bindings are kept by the inner exchange but name this one as their source. */
  private Binding rebind(Binding b) {
    return b;
  }

  @Override
  public List<Binding> bindings() {
    return inner.bindings();
  }

  @Override
  public boolean hasBindings() {
    return inner.hasBindings();
  }
}
