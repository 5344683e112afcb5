package io.warrenmq.management.api;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.DirectChannel;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.vhost.NameOrder;
import io.warrenmq.broker.vhost.QueueDeclareResult;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.format.AmqpJson;
import io.warrenmq.management.format.Reasons;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/queues}: the listings (rabbit_mgmt_wm_queues: basic and detailed), one queue with
 * PUT to declare and DELETE with if-unused / if-empty (rabbit_mgmt_wm_queue, through
 * direct_request), its contents (purge), its bindings and its actions. The listings come from the
 * vhosts' sorted indexes: a page of the default order renders and costs only that page.
 */
final class QueuesController {
  private final ObjectContext ctx;

  QueuesController(ObjectContext ctx) {
    this.ctx = ctx;
  }

  void register(ApiRoutes api) {
    api.get("/api/queues", Access.VHOST, c -> list(c, QueueJson.Mode.BASIC));
    api.get("/api/queues/detailed", Access.VHOST, c -> list(c, QueueJson.Mode.DETAILED));
    api.get("/api/queues/{vhost}", Access.VHOST, c -> list(c, QueueJson.Mode.BASIC));
    api.get("/api/queues/{vhost}/{name}", Access.VHOST, this::get);
    api.put("/api/queues/{vhost}/{name}", Access.VHOST, this::put);
    api.delete("/api/queues/{vhost}/{name}", Access.VHOST, this::delete);
    api.get("/api/queues/{vhost}/{name}/bindings", Access.VHOST, this::bindings);
    api.delete("/api/queues/{vhost}/{name}/contents", Access.VHOST, this::purge);
    api.post("/api/queues/{vhost}/{name}/actions", Access.ADMIN, this::actions);
  }

  private Response list(Call c, QueueJson.Mode mode) {
    List<VirtualHost> vhosts = ctx.listedVhosts(c);
    Comparator<Queue> order = Comparator.comparing((Queue q) -> q.spec().vhost(), NameOrder.INSTANCE)
        .thenComparing(Queue::name, NameOrder.INSTANCE);
    QueueJson.Options o = QueueJson.Options.of(c, mode, ctx);
    return Listing.sorted(new SortedQueues(vhosts), q -> ctx.queues().render(q, o), order, Queue::name,
        List.of("vhost", "name")).reply(c);
  }

  /** The queues of the vhosts (sorted by name) through their sorted indexes, without copying them. */
  private record SortedQueues(List<VirtualHost> vhosts) implements Listing.Source<Queue> {
    @Override
    public int size() {
      int n = 0;
      for (VirtualHost vh : vhosts) {
        n += vh.queueCount();
      }
      return n;
    }

    @Override
    public Iterator<Queue> iterator(boolean reverse) {
      Iterator<VirtualHost> vs = (reverse ? vhosts.reversed() : vhosts).iterator();
      return new Iterator<>() {
        private Iterator<Queue> current = java.util.Collections.emptyIterator();

        @Override
        public boolean hasNext() {
          while (!current.hasNext() && vs.hasNext()) {
            current = vs.next().queuesSorted(reverse).iterator();
          }
          return current.hasNext();
        }

        @Override
        public Queue next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return current.next();
        }
      };
    }
  }

  static Queue queueOr404(VirtualHost vh, Call c) {
    Queue q = vh.queue(c.param("name"));
    if (q == null) {
      throw Call.notFound();
    }
    return q;
  }

  private Response get(Call c) {
    Queue q = queueOr404(c.vhost(), c);
    return ObjectContext.reply(c, ctx.queues().render(q, QueueJson.Options.of(c, QueueJson.Mode.FULL, ctx)));
  }

  /** queue.declare with the body's fields: 201 if it was created, 204 if it existed (and matched). */
  private Response put(Call c) {
    String name = c.param("name");
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > 255) {
      // rabbit_parameter_validation:amqp091_queue_name, printed with ~n
      throw ApiException.badRequest("queue should be less than 255 bytes, actually was " + bytes + "\n");
    }
    VirtualHost vh = ctx.vhostForWrite(c);
    Map<String, Object> body = c.body();
    boolean durable = ObjectContext.bool(body, "durable");
    boolean autoDelete = ObjectContext.bool(body, "auto_delete");
    FieldTable args = AmqpJson.toTable(body.get("arguments"));
    DirectChannel ch = ctx.direct(c, vh);
    boolean passive = Boolean.TRUE.equals(body.get("passive")) || "true".equals(body.get("passive"));
    QueueDeclareResult r = ObjectContext.direct(() -> {
      if (passive) {
        ch.checks().checkAny("queue", name);
        return vh.declareQueuePassive(name, ch);
      }
      ch.checks().queueDeclare(name, args);
      // RabbitMQ's direct_request has no connection: an exclusive declaration owns nothing
      return vh.declareQueue(new QueueSpec(vh.name(), name, durable, false, autoDelete, args), false, ch);
    });
    return r.created() ? Response.created() : Response.noContent();
  }

  private Response delete(Call c) {
    VirtualHost vh = c.vhost();
    Queue q = queueOr404(vh, c);
    boolean ifUnused = "true".equals(c.query("if-unused"));
    boolean ifEmpty = "true".equals(c.query("if-empty"));
    DirectChannel ch = ctx.direct(c, vh);
    ObjectContext.direct(() -> {
      ch.checks().queueDelete(q.name());
      return vh.deleteQueue(q.name(), ifUnused, ifEmpty, ch);
    });
    return Response.noContent();
  }

  /** DELETE .../contents: queue.purge (rabbit_mgmt_wm_queue_purge). */
  private Response purge(Call c) {
    VirtualHost vh = c.vhost();
    Queue q = queueOr404(vh, c);
    DirectChannel ch = ctx.direct(c, vh);
    ObjectContext.direct(() -> {
      ch.checks().readQueue(q.name());
      return vh.purgeQueue(q.name(), ch);
    });
    return Response.noContent();
  }

  /**
   * The bindings to the queue, the default exchange's implicit one first
   * (rabbit_binding:list_for_destination, which lists it whether or not the queue exists).
   */
  private Response bindings(Call c) {
    VirtualHost vh = ctx.broker().vhost(c.param("vhost"));
    String name = c.param("name");
    List<Map<String, Object>> out = new ArrayList<>();
    if (vh != null) {
      out.add(TopologyJson.binding(vh.name(), "", name, "queue", name, FieldTable.EMPTY));
      for (Binding b : vh.bindings()) {
        if (b.destination().kind().equals("queue") && b.destination().name().equals(name)) {
          out.add(TopologyJson.binding(vh.name(), b));
        }
      }
    }
    return BindingsController.listing(out).reply(c);
  }

  /**
   * rabbit_mgmt_wm_queue_actions (administrators): "sync" and "cancel_sync" act on mirrored
   * classic queues, which WarrenMQ has none of, so for its queues (as for RabbitMQ's unmirrored
   * ones) they change nothing; WarrenMQ adds "move" ({@link QueueMove}); any other
   * action is 400 {unknown, Action}.
   */
  private Response actions(Call c) {
    VirtualHost vh = ctx.broker().vhost(c.param("vhost"));
    if (vh == null) {
      throw ApiException.notFound("vhost_not_found");
    }
    if (vh.queue(c.param("name")) == null) {
      throw ApiException.notFound("queue_not_found");
    }
    Map<String, Object> body = c.body();
    ObjectContext.require(body, "action");
    Object action = body.get("action");
    if ("sync".equals(action) || "cancel_sync".equals(action)) {
      return Response.noContent();
    }
    if ("move".equals(action)) {
      return QueueMove.move(c, vh, body); // WarrenMQ's move (RabbitMQ's UI uses a shovel)
    }
    throw Reasons.pair("unknown", String.valueOf(action));
  }
}
