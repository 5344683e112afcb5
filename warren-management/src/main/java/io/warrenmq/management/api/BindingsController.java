package io.warrenmq.management.api;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.DirectChannel;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.format.AmqpJson;
import io.warrenmq.management.format.BindingKeys;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/bindings} (rabbit_mgmt_wm_bindings, rabbit_mgmt_wm_binding): every binding of the
 * visible vhosts, the default exchange's implicit binding to each queue included; those between a
 * source exchange and a destination queue ({@code q}) or exchange ({@code e}), where POST binds and
 * answers 201 with the new binding's path in {@code location}; one binding named by its
 * properties_key ({@link BindingKeys}), GET and DELETE. Also the exchange's
 * {@code bindings/source} and {@code bindings/destination}. RabbitMQ answers these lists whole,
 * without pagination.
 */
final class BindingsController {
  private static final List<String> DEFAULT_SORTS =
      List.of("vhost", "source", "type", "destination", "routing_key", "properties_key");

  private final ObjectContext ctx;

  BindingsController(ObjectContext ctx) {
    this.ctx = ctx;
  }

  void register(ApiRoutes api) {
    api.get("/api/exchanges/{vhost}/{name}/bindings/source", Access.VHOST, c -> exchangeBindings(c, true));
    api.get("/api/exchanges/{vhost}/{name}/bindings/destination", Access.VHOST, c -> exchangeBindings(c, false));
    api.get("/api/bindings", Access.VHOST, this::all);
    api.get("/api/bindings/{vhost}", Access.VHOST, this::all);
    api.get("/api/bindings/{vhost}/e/{source}/{dtype}/{destination}", Access.VHOST, this::between);
    api.post("/api/bindings/{vhost}/e/{source}/{dtype}/{destination}", Access.VHOST, this::bind);
    api.get("/api/bindings/{vhost}/e/{source}/{dtype}/{destination}/{props}", Access.VHOST, this::one);
    api.delete("/api/bindings/{vhost}/e/{source}/{dtype}/{destination}/{props}", Access.VHOST, this::unbind);
  }

  /** RabbitMQ's reply_list for bindings: sorted by vhost, source, destination, key, properties key. */
  static Listing<Map<String, Object>> listing(List<Map<String, Object>> bindings) {
    return Listing.ofMaps(bindings, DEFAULT_SORTS).unpaginated();
  }

  /** Every binding of the vhost: the implicit ones of the default exchange, then the declared ones. */
  static List<Map<String, Object>> bindingsOf(VirtualHost vh) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Queue q : vh.queuesSorted(false)) {
      out.add(TopologyJson.binding(vh.name(), "", q.name(), "queue", q.name(), FieldTable.EMPTY));
    }
    for (Binding b : vh.bindings()) {
      out.add(TopologyJson.binding(vh.name(), b));
    }
    return out;
  }

  private Response all(Call c) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (VirtualHost vh : ctx.listedVhosts(c)) {
      out.addAll(bindingsOf(vh));
    }
    return listing(out).reply(c);
  }

  private Response exchangeBindings(Call c, boolean source) {
    VirtualHost vh = ctx.broker().vhost(c.param("vhost"));
    String name = ObjectContext.exchangeName(c.param("name"));
    List<Map<String, Object>> out = new ArrayList<>();
    if (vh != null) {
      if (source && name.isEmpty()) {
        for (Queue q : vh.queuesSorted(false)) {
          out.add(TopologyJson.binding(vh.name(), "", q.name(), "queue", q.name(), FieldTable.EMPTY));
        }
      }
      for (Binding b : vh.bindings()) {
        boolean match = source ? b.source().name().equals(name)
            : b.destination().kind().equals("exchange") && b.destination().name().equals(name);
        if (match) {
          out.add(TopologyJson.binding(vh.name(), b));
        }
      }
    }
    return listing(out).reply(c);
  }

  /** The path's destination kind: "q" a queue, "e" an exchange; anything else names nothing. */
  private static String kind(Call c) {
    return switch (c.param("dtype")) {
      case "q" -> "queue";
      case "e" -> "exchange";
      default -> throw Call.notFound();
    };
  }

  /** The bindings from the path's source to its destination, implicit ones included. */
  private static List<Map<String, Object>> betweenOf(VirtualHost vh, String source, String kind, String dest) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (source.isEmpty() && kind.equals("queue") && vh.queue(dest) != null) {
      out.add(TopologyJson.binding(vh.name(), "", dest, "queue", dest, FieldTable.EMPTY));
    }
    for (Binding b : vh.bindings()) {
      if (b.source().name().equals(source) && b.destination().kind().equals(kind)
          && b.destination().name().equals(dest)) {
        out.add(TopologyJson.binding(vh.name(), b));
      }
    }
    return out;
  }

  private Response between(Call c) {
    VirtualHost vh = c.vhost();
    String kind = kind(c);
    return listing(betweenOf(vh, ObjectContext.exchangeName(c.param("source")), kind,
        ObjectContext.exchangeName(c.param("destination")))).reply(c);
  }

  /**
   * queue.bind / exchange.bind with the body's routing_key and arguments, through the user's
   * channel; 201 with {@code location}: the binding's path relative to the request's
   * (rabbit_web_dispatch_util:relativise), its properties key quoted once more.
   */
  private Response bind(Call c) {
    VirtualHost vh = ctx.vhostForWrite(c);
    String kind = kind(c);
    String source = ObjectContext.exchangeName(c.param("source"));
    String dest = ObjectContext.exchangeName(c.param("destination"));
    Map<String, Object> body = c.body();
    String key = body.get("routing_key") instanceof String s ? s : "";
    FieldTable args = AmqpJson.toTable(body.get("arguments"));
    DirectChannel ch = ctx.direct(c, vh);
    ObjectContext.direct(() -> {
      ch.checks().binding(kind, dest, source, key);
      if (kind.equals("queue")) {
        vh.bindQueue(dest, source, key, args, ch);
      } else {
        vh.bindExchange(dest, source, key, args);
      }
      return null;
    });
    // rabbit_mgmt_format:url: every part quote_plus'ed, the properties key once more
    String to = "/api/bindings/" + BindingKeys.quotePlus(vh.name()) + "/e/" + BindingKeys.quotePlus(source) + "/"
        + c.param("dtype") + "/" + BindingKeys.quotePlus(dest) + "/" + BindingKeys.quotePlus(BindingKeys.pack(key, args));
    return Response.created().header("location", relativise(c.request().path(), to));
  }

  /** rabbit_web_dispatch_util:relativise: {@code to} as a path relative to {@code from}. */
  static String relativise(String from, String to) {
    List<String> f = tokens(from);
    List<String> t = tokens(to);
    while (!f.isEmpty() && !t.isEmpty() && f.getFirst().equals(t.getFirst())) {
      if (f.size() == 1) {
        return String.join("/", t);
      }
      f.removeFirst();
      t.removeFirst();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < f.size() - 1; i++) {
      out.add("..");
    }
    out.addAll(t);
    return String.join("/", out);
  }

  private static List<String> tokens(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** The binding the properties key names, or null (RabbitMQ answers 404 for all the ways it can miss). */
  private static @Nullable Binding find(VirtualHost vh, Call c) {
    String kind = kind(c);
    String source = ObjectContext.exchangeName(c.param("source"));
    String dest = ObjectContext.exchangeName(c.param("destination"));
    BindingKeys.Unpacked props = BindingKeys.unpack(c.param("props"));
    if (props == null) {
      return null; // too_many_tokens
    }
    for (Binding b : vh.bindings()) {
      if (b.source().name().equals(source) && b.destination().kind().equals(kind)
          && b.destination().name().equals(dest) && b.routingKey().equals(props.routingKey())
          && (props.argsHash() == null ? b.arguments().isEmpty()
              : BindingKeys.argsHash(b.arguments()).equals(props.argsHash()))) {
        return b;
      }
    }
    return null;
  }

  /** Whether the path names the default exchange's implicit binding to a queue (rabbit_binding:exists). */
  private static boolean implicit(VirtualHost vh, Call c) {
    String dest = c.param("destination");
    BindingKeys.Unpacked props = BindingKeys.unpack(c.param("props"));
    return ObjectContext.exchangeName(c.param("source")).isEmpty() && kind(c).equals("queue") && props != null
        && props.argsHash() == null && props.routingKey().equals(dest) && vh.queue(dest) != null;
  }

  private Response one(Call c) {
    VirtualHost vh = c.vhost();
    if (implicit(vh, c)) {
      String dest = c.param("destination");
      return Response.ok(TopologyJson.binding(vh.name(), "", dest, "queue", dest, FieldTable.EMPTY));
    }
    Binding b = find(vh, c);
    if (b == null) {
      throw Call.notFound();
    }
    return Response.ok(TopologyJson.binding(vh.name(), b));
  }

  private Response unbind(Call c) {
    VirtualHost vh = c.vhost();
    Binding b = find(vh, c);
    if (b == null) {
      if (implicit(vh, c)) {
        // it exists but cannot go: queue.unbind from the default exchange is refused (403)
        throw ApiException.notAuthorised("Access refused.");
      }
      throw Call.notFound();
    }
    DirectChannel ch = ctx.direct(c, vh);
    String kind = b.destination().kind();
    ObjectContext.direct(() -> {
      ch.checks().binding(kind, b.destination().name(), b.source().name(), b.routingKey());
      if (kind.equals("queue")) {
        vh.unbindQueue(b.destination().name(), b.source().name(), b.routingKey(), b.arguments(), ch);
      } else {
        vh.unbindExchange(b.destination().name(), b.source().name(), b.routingKey(), b.arguments());
      }
      return null;
    });
    return Response.noContent();
  }
}
