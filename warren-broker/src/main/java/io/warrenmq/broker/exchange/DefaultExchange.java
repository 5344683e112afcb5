package io.warrenmq.broker.exchange;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.Queue;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The default exchange (AMQP 0-9-1 3.1.3.1): a direct exchange with no name to which every queue
 * is implicitly bound by its name. Explicit bindings to it are refused, as RabbitMQ does.
 */
public final class DefaultExchange extends Exchange {
  private final Function<String, @Nullable Queue> queues;

  DefaultExchange(String vhost, Function<String, @Nullable Queue> queues) {
    super(new ExchangeSpec(vhost, "", "direct", true, false, false, FieldTable.EMPTY));
    this.queues = queues;
  }

  @Override
  public void route(Message message, String routingKey, RouteCollector out) {
    Queue q = queues.apply(routingKey);
    if (q != null) {
      out.addQueue(q);
    }
  }

  @Override
  public boolean bind(Binding binding) {
    throw refused();
  }

  @Override
  public boolean unbind(Binding binding) {
    throw refused();
  }

  @Override
  public List<Binding> bindings() {
    return List.of();
  }

  static AmqpException refused() {
    return AmqpException.channelError(
        ReplyCode.ACCESS_REFUSED, "operation not permitted on the default exchange");
  }
}
