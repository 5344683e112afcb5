package io.warrenmq.server.ctl;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Destination;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.List;

/**
 * Queues, exchanges and bindings: list_queues, list_exchanges, list_bindings (rabbitmqctl's
 * columns and defaults), purge_queue, delete_queue, and WarrenMQ's peek.
 */
final class QueueCommands implements CommandGroup {
  private static final Table.Items<Queue> QUEUE_ITEMS = new Table.Items<Queue>()
      .add("name", Queue::name)
      .add("messages", q -> Long.toString(q.messageCount() + q.unackedCount()))
      .add("messages_ready", q -> Long.toString(q.messageCount()))
      .add("messages_unacknowledged", q -> Long.toString(q.unackedCount()))
      .add("consumers", q -> Integer.toString(q.consumerCount()))
      .add("durable", q -> Boolean.toString(q.spec().durable()))
      .add("auto_delete", q -> Boolean.toString(q.spec().autoDelete()))
      .add("exclusive", q -> Boolean.toString(q.spec().exclusive()))
      .add("arguments", q -> ErlangTerms.table(q.spec().arguments()));

  private static final Table.Items<Exchange> EXCHANGE_ITEMS = new Table.Items<Exchange>()
      .add("name", Exchange::name)
      .add("type", Exchange::type)
      .add("durable", x -> Boolean.toString(x.spec().durable()))
      .add("auto_delete", x -> Boolean.toString(x.spec().autoDelete()))
      .add("internal", x -> Boolean.toString(x.spec().internal()))
      .add("arguments", x -> ErlangTerms.table(x.spec().arguments()));

  private static final Table.Items<Binding> BINDING_ITEMS = new Table.Items<Binding>()
      .add("source_name", b -> b.source().name())
      .add("source_kind", b -> "exchange")
      .add("destination_name", b -> b.destination().name())
      .add("destination_kind", b -> b.destination().kind())
      .add("routing_key", Binding::routingKey)
      .add("arguments", b -> ErlangTerms.table(b.arguments()));

  private final Broker broker;

  QueueCommands(Broker broker) {
    this.broker = broker;
  }

  @Override
  public boolean run(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "list_queues" -> {
        QUEUE_ITEMS.write(out, a, "Listing queues for vhost " + a.vhost + " ...", a.positional,
            List.of("name", "messages"), () -> vhost(a).queues());
      }
      case "list_exchanges" -> {
        EXCHANGE_ITEMS.write(out, a, "Listing exchanges for vhost " + a.vhost + " ...", a.positional,
            List.of("name", "type"), () -> vhost(a).exchanges());
      }
      case "list_bindings" -> {
        BINDING_ITEMS.write(out, a, "Listing bindings for vhost " + a.vhost + "...", a.positional,
            List.of("source_name", "source_kind", "destination_name", "destination_kind", "routing_key", "arguments"),
            () -> bindingsOf(vhost(a)));
      }
      case "purge_queue" -> {
        String q = a.arg(0, "purge_queue [-p <vhost>] <queue>");
        long n = vhost(a).purgeQueue(q, this);
        a.info(out, "Purging queue '" + q + "' in vhost '" + a.vhost + "' ...");
        out.append(n).append('\n');
      }
      case "delete_queue" -> {
        String q = a.arg(0, "delete_queue [-p <vhost>] <queue>");
        long n = vhost(a).deleteQueue(q, false, false, this);
        a.info(out, "Deleting queue '" + q + "' on vhost '" + a.vhost + "' ...");
        out.append("Queue was successfully deleted with ").append(n).append(" ready messages\n");
      }
      case "peek" -> {
        String usage = "peek [-p <vhost>] <queue> [<count>]";
        String q = a.arg(0, usage);
        int n = a.positional.size() > 1 ? Integer.parseInt(a.positional.get(1)) : 10;
        a.info(out, "First " + n + " messages of queue '" + q + "' in vhost '" + a.vhost + "' (not consumed) ...");
        Peek.print(vhost(a), q, n, out);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The vhost of {@code -p}; an error if it does not exist. */
  static VirtualHost vhost(Broker broker, CtlArgs a) {
    VirtualHost vh = broker.vhost(a.vhost);
    if (vh == null) {
      throw new IllegalArgumentException("vhost '" + a.vhost + "' does not exist");
    }
    return vh;
  }

  private VirtualHost vhost(CtlArgs a) {
    return vhost(broker, a);
  }

  /** As rabbitmqctl: the default exchange's implicit binding to every queue, then the declared ones. */
  private static List<Binding> bindingsOf(VirtualHost vh) {
    List<Binding> all = new ArrayList<>();
    Exchange defaultExchange = vh.exchangeOrDie("");
    for (Queue q : vh.queues()) {
      all.add(new Binding(defaultExchange, new Destination.ToQueue(q), q.name(), FieldTable.EMPTY));
    }
    all.addAll(vh.bindings());
    return all;
  }
}
