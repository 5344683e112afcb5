package io.warrenmq.management.api;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.broker.DirectChannel;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Envelope;
import io.warrenmq.broker.queue.ClassicQueue;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.format.AmqpJson;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/queues/{vhost}/{name}/get} (rabbit_mgmt_wm_queue_get): up to {@code count}
 * basic.gets on a channel of the user, then, by {@code ackmode}, the messages acknowledged
 * ({@code ack_requeue_false}: taken with no-ack), requeued ({@code ack_requeue_true} as a nack,
 * {@code reject_requeue_true}; they come back redelivered) or rejected
 * ({@code reject_requeue_false}: dead-lettered or dropped). Each message as RabbitMQ answers it:
 * payload_bytes, redelivered, exchange, routing_key, message_count, properties, the payload cut to
 * {@code truncate} bytes, as text if it is UTF-8 ({@code encoding: auto}) or else base64.
 *
 * <p>WarrenMQ's extension, {@code ackmode: "peek"}: the first {@code count} messages in delivery
 * order, read without being delivered, so nothing about the queue changes (no delivery counted,
 * no redelivered flag, no reordering, consumers unaffected). {@code redelivered} then says whether
 * the message had been delivered before; {@code message_count} is the number of ready messages
 * after it, what a get of that message would have answered.
 */
final class QueueGetController {
  private final ObjectContext ctx;

  QueueGetController(ObjectContext ctx) {
    this.ctx = ctx;
  }

  void register(ApiRoutes api) {
    api.post("/api/queues/{vhost}/{name}/get", Access.VHOST, this::get);
  }

  private record Ask(String ackMode, long count, boolean base64, long truncate) {}

  private Response get(Call c) {
    VirtualHost vh = ctx.broker().vhost(c.param("vhost"));
    if (vh == null) {
      throw ApiException.notFound("vhost_not_found");
    }
    Queue q = vh.queue(c.param("name"));
    if (q == null) {
      throw ApiException.notFound("queue_not_found");
    }
    Map<String, Object> body = c.body();
    ObjectContext.require(body, "ackmode", "count", "encoding");
    DirectChannel ch = ctx.channel(c, vh);
    Ask ask = ask(body);
    try {
      return Response.ok(ask.ackMode().equals("peek") ? peek(ch, q, ask) : gets(ch, q.name(), ask));
    } catch (AmqpException e) {
      throw Errors.channel(e);
    }
  }

  private static Ask ask(Map<String, Object> body) {
    String mode = String.valueOf(body.get("ackmode"));
    long count = ObjectContext.integer(body.get("count"));
    Object enc = body.get("encoding");
    if (!"auto".equals(enc) && !"base64".equals(enc)) {
      throw ApiException.badRequest("Unsupported encoding. Please use auto or base64.");
    }
    long truncate = body.get("truncate") == null ? -1 : ObjectContext.integer(body.get("truncate"));
    if (!List.of("ack_requeue_true", "ack_requeue_false", "reject_requeue_true", "reject_requeue_false", "peek")
        .contains(mode)) {
      // RabbitMQ crashes (parse_ackmode has no clause): a 400 that says what is accepted instead
      throw ApiException.badRequest("Unsupported ackmode '" + mode + "'. Please use ack_requeue_true,"
          + " ack_requeue_false, reject_requeue_true, reject_requeue_false or peek.");
    }
    return new Ask(mode, count, "base64".equals(enc), truncate);
  }

  /**
   * The gets, then their settlement, after all of them: requeued messages would otherwise be got
   * again (rabbit_mgmt_wm_queue_get maybe_return). A negative count gets until the queue is empty,
   * as RabbitMQ's countdown never reaches 0.
   */
  private static List<Map<String, Object>> gets(DirectChannel ch, String queue, Ask ask) {
    boolean noAck = ask.ackMode().equals("ack_requeue_false");
    List<Delivery> got = new ArrayList<>();
    List<Map<String, Object>> out = new ArrayList<>();
    try {
      for (long i = 0; i != ask.count(); i++) {
        DirectChannel.Got g = ch.get(queue, noAck);
        if (g == null) {
          break;
        }
        got.add(g.delivery());
        out.add(message(g.delivery().envelope(), g.delivery().redelivered(), g.messageCount(), ask));
      }
    } finally {
      DirectChannel.settle(got, switch (ask.ackMode()) {
        case "reject_requeue_false" -> DirectChannel.Settle.REJECT;
        case "ack_requeue_false" -> DirectChannel.Settle.ACK;
        default -> DirectChannel.Settle.REQUEUE;
      });
      got.forEach(Delivery::release);
    }
    return out;
  }

  private static List<Map<String, Object>> peek(DirectChannel ch, Queue q, Ask ask) {
    ch.checks().readQueue(q.name());
    List<Map<String, Object>> out = new ArrayList<>();
    if (!(q instanceof ClassicQueue cq) || ask.count() <= 0) {
      return out;
    }
    List<ClassicQueue.Peeked> peeked = cq.peekMessages((int) Math.min(Integer.MAX_VALUE, ask.count()));
    long ready = q.messageCount();
    try {
      for (int i = 0; i < peeked.size(); i++) {
        ClassicQueue.Peeked p = peeked.get(i);
        out.add(message(Envelope.parse(p.record()), p.deliveries() > 0, Math.max(0, ready - i - 1), ask));
      }
    } finally {
      peeked.forEach(p -> p.record().release());
    }
    return out;
  }

  /** One message as basic_get renders it (payload_part, maybe_truncate). */
  private static Map<String, Object> message(Envelope e, boolean redelivered, long messageCount, Ask ask) {
    BasicProperties props = e.properties().isReadable() ? e.decodeProperties() : BasicProperties.EMPTY;
    ByteBuf body = e.body();
    int size = body.readableBytes();
    int keep = ask.truncate() < 0 || ask.truncate() >= size ? size : (int) ask.truncate();
    byte[] payload = new byte[keep];
    body.getBytes(body.readerIndex(), payload);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("payload_bytes", size);
    m.put("redelivered", redelivered);
    m.put("exchange", e.exchange());
    m.put("routing_key", e.routingKey());
    m.put("message_count", messageCount);
    m.put("properties", AmqpJson.properties(props));
    String text = ask.base64() ? null : AmqpJson.utf8(payload);
    m.put("payload", text != null ? text : Base64.getEncoder().encodeToString(payload));
    m.put("payload_encoding", text != null ? "string" : "base64");
    return m;
  }
}
