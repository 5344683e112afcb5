package io.warrenmq.management.api;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.DirectChannel;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.vhost.NameOrder;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.format.AmqpJson;
import io.warrenmq.management.format.Reasons;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * {@code /api/exchanges}: the listings (rabbit_mgmt_wm_exchanges), one exchange with PUT to declare
 * and DELETE (rabbit_mgmt_wm_exchange, through direct_request: the user's channel permissions),
 * and publishing one message (rabbit_mgmt_wm_exchange_publish: confirm mode, mandatory). Every
 * route is is_authorized_vhost.
 */
final class ExchangesController {
  private final ObjectContext ctx;

  ExchangesController(ObjectContext ctx) {
    this.ctx = ctx;
  }

  void register(ApiRoutes api) {
    api.get("/api/exchanges", Access.VHOST, this::list);
    api.get("/api/exchanges/{vhost}", Access.VHOST, this::list);
    api.get("/api/exchanges/{vhost}/{name}", Access.VHOST, this::get);
    api.put("/api/exchanges/{vhost}/{name}", Access.VHOST, this::put);
    api.delete("/api/exchanges/{vhost}/{name}", Access.VHOST, this::delete);
    api.post("/api/exchanges/{vhost}/{name}/publish", Access.VHOST, this::publish);
  }

  private Response list(Call c) {
    List<Exchange> all = new ArrayList<>();
    for (VirtualHost vh : ctx.listedVhosts(c)) {
      all.addAll(vh.exchanges()); // by name within a vhost, the vhosts by name: the default order
    }
    Comparator<Exchange> order = Comparator.comparing((Exchange x) -> x.spec().vhost(), NameOrder.INSTANCE)
        .thenComparing(Exchange::name, NameOrder.INSTANCE);
    ObjectStats stats = ctx.stats(c);
    return Listing.sorted(Listing.Source.of(all),
        x -> ctx.topology().exchange(ctx.broker().vhost(x.spec().vhost()), x, false, stats), order, Exchange::name,
        List.of("vhost", "name")).reply(c);
  }

  private Exchange exchangeOr404(VirtualHost vh, Call c) {
    Exchange x = vh.exchange(ObjectContext.exchangeName(c.param("name")));
    if (x == null) {
      throw Call.notFound();
    }
    return x;
  }

  private Response get(Call c) {
    VirtualHost vh = c.vhost();
    return ObjectContext.reply(c, ctx.topology().exchange(vh, exchangeOr404(vh, c), true, ctx.stats(c)));
  }

  /** exchange.declare with the body's fields: 201 if it was created, 204 if it existed (and matched). */
  private Response put(Call c) {
    VirtualHost vh = ctx.vhostForWrite(c);
    Map<String, Object> body = c.body();
    String name = ObjectContext.exchangeName(c.param("name"));
    Object typeField = body.getOrDefault("type", "direct"); // exchange.declare's default type
    String type = String.valueOf(typeField);
    boolean durable = ObjectContext.bool(body, "durable");
    boolean autoDelete = ObjectContext.bool(body, "auto_delete");
    boolean internal = ObjectContext.bool(body, "internal");
    FieldTable args = AmqpJson.toTable(body.get("arguments"));
    DirectChannel ch = ctx.direct(c, vh);
    boolean existed = vh.exchange(name) != null && !name.isEmpty();
    ObjectContext.direct(() -> {
      if (ObjectContext.bool(body, "passive")) {
        ch.checks().checkAny("exchange", name);
        return vh.declareExchangePassive(name);
      }
      VirtualHost.checkExchangeType(type); // RabbitMQ checks the type first
      ch.checks().exchangeDeclare(name, args);
      return vh.declareExchange(new ExchangeSpec(vh.name(), name, type, durable, autoDelete, internal, args));
    });
    return existed ? Response.noContent() : Response.created();
  }

  private Response delete(Call c) {
    VirtualHost vh = c.vhost();
    Exchange x = exchangeOr404(vh, c);
    boolean ifUnused = "true".equals(c.query("if-unused"));
    DirectChannel ch = ctx.direct(c, vh);
    ObjectContext.direct(() -> {
      ch.checks().exchangeDelete(x.name());
      vh.deleteExchange(x.name(), ifUnused);
      return null;
    });
    return Response.noContent();
  }

  /**
   * One message through a channel of the user in confirm mode with mandatory set: {"routed":
   * true} once confirmed, false if it was returned; 400 with the channel's error otherwise.
   */
  private Response publish(Call c) {
    VirtualHost vh = ctx.broker().vhost(c.param("vhost"));
    if (vh == null) {
      throw ApiException.notFound("vhost_not_found");
    }
    String exchange = ObjectContext.exchangeName(c.param("name"));
    if (vh.exchange(exchange) == null) {
      throw ApiException.notFound("exchange_not_found");
    }
    Map<String, Object> body = c.body();
    ObjectContext.require(body, "routing_key", "properties", "payload", "payload_encoding");
    if (!(body.get("payload") instanceof String payload)) {
      throw ApiException.badRequest("payload_not_string");
    }
    DirectChannel ch = ctx.channel(c, vh);
    BasicProperties props = AmqpJson.toProperties(body.get("properties"));
    byte[] bytes = decode(payload, body.get("payload_encoding"));
    String key = body.get("routing_key") instanceof String s ? s : "";
    DirectChannel.Outcome outcome;
    try {
      outcome = ch.publish(exchange, key, props, bytes).get();
    } catch (AmqpException e) {
      throw Errors.published(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the confirm", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the message could not be made durable", e.getCause());
    }
    if (outcome == DirectChannel.Outcome.REJECTED) {
      // the nack of a queue over its limit (bad_request_exception(rejected, ...))
      throw ApiException.badRequest("rejected Unable to publish message. Check queue limits.");
    }
    return Response.ok(Map.of("routed", outcome == DirectChannel.Outcome.ROUTED));
  }

  private static byte[] decode(String payload, Object encoding) {
    if ("string".equals(encoding)) {
      return payload.getBytes(StandardCharsets.UTF_8);
    }
    if ("base64".equals(encoding)) {
      try {
        return Base64.getMimeDecoder().decode(payload);
      } catch (IllegalArgumentException e) {
        throw Reasons.pair("not_base64", payload); // rabbit_misc:b64decode_or_throw
      }
    }
    throw Reasons.pair("unsupported_encoding", String.valueOf(encoding));
  }
}
