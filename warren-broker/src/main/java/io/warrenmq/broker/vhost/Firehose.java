package io.warrenmq.broker.vhost;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.RouteCollector;
import io.warrenmq.broker.message.Envelope;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.Queue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's firehose tracer for one vhost ({@code rabbitmqctl trace_on}): while it is on, every
 * message published in the vhost is copied to the {@code amq.rabbitmq.trace} exchange with the
 * routing key {@code publish.<exchange>}, and every message delivered (basic.deliver or
 * basic.get-ok) with {@code deliver.<queue>}. The copy has the original body and, as its only
 * property, a headers table describing the original: {@code exchange_name}, {@code routing_keys},
 * {@code properties}, {@code node}, {@code vhost}, {@code connection}, {@code channel},
 * {@code user}, and {@code routed_queues} (publish) or {@code redelivered} (deliver), as
 * RabbitMQ's rabbit_trace builds them. Messages published to the trace exchange itself are not
 * traced. Tracing is a runtime switch, off after a restart, as in RabbitMQ.
 *
 * <p>Threading: thread-safe. {@link #enabled()} is one volatile read, the only cost on the hot path
 * while tracing is off. The taps run on the publishing or delivering thread, route through the
 * vhost's lock-free {@link Router} and enqueue the copies as transient messages (at most once: no
 * confirm, no return).
 */
public final class Firehose {
  private static final Logger log = LoggerFactory.getLogger(Firehose.class);
  /** RabbitMQ's trace exchange, declared in every vhost. */
  public static final String EXCHANGE = "amq.rabbitmq.trace";

  private final String vhost;
  private final ExchangeRegistry exchanges;
  private final Router router;
  private final ByteBufAllocator alloc;
  private volatile @Nullable String node;

  Firehose(String vhost, ExchangeRegistry exchanges, Router router, ByteBufAllocator alloc) {
    this.vhost = vhost;
    this.exchanges = exchanges;
    this.router = router;
    this.alloc = alloc;
  }

  /** Whether tracing is on: check this before calling a tap. */
  public boolean enabled() {
    return node != null;
  }

  /** trace_on: returns false if it was on already. {@code node} is named in every copy. */
  public boolean start(String node) {
    boolean was = enabled();
    this.node = node;
    log.info(was ? "tracing is already enabled for vhost '{}'" : "enabling tracing for vhost '{}'", vhost);
    return !was;
  }

  /** trace_off: returns false if it was off already. */
  public boolean stop() {
    boolean was = enabled();
    node = null;
    log.info(was ? "disabling tracing for vhost '{}'" : "tracing is already disabled for vhost '{}'", vhost);
    return was;
  }

  /**
   * A message was published and routed to {@code routed} (RabbitMQ's tap_in). Buffers of
   * {@code m} are borrowed.
   */
  public void published(Message m, List<Queue> routed, String connection, int channel, String user) {
    List<Object> queues = new ArrayList<>(routed.size());
    for (Queue q : routed) {
      queues.add(q.name());
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("vhost", vhost);
    extra.put("connection", connection);
    extra.put("channel", channel);
    extra.put("user", user);
    extra.put("routed_queues", queues);
    trace(m.exchange(), m.routingKeys(), m.properties(), m.body(), "publish." + m.exchange(), extra);
  }

  /**
   * A message of {@code queue} was delivered or got (RabbitMQ's tap_out). Buffers of {@code e}
   * are borrowed.
   */
  public void delivered(String queue, boolean redelivered, Envelope e, String connection, int channel, String user) {
    BasicProperties p = e.decodeProperties();
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("redelivered", redelivered ? 1 : 0);
    extra.put("vhost", vhost);
    extra.put("connection", connection);
    extra.put("channel", channel);
    extra.put("user", user);
    List<String> keys = e.routing() != null ? e.routing().keys() : routingKeys(e.routingKey(), p);
    trace(e.exchange(), keys, p, e.body(), "deliver." + queue, extra);
  }

  /** The routing keys of a layout-1 record: its key and the CC header's (BCC is never stored). */
  private static List<String> routingKeys(String key, BasicProperties p) {
    FieldTable h = p.headers();
    List<@Nullable Object> cc = h == null ? null : h.getArray("CC");
    if (cc == null) {
      return List.of(key);
    }
    List<String> keys = new ArrayList<>(cc.size() + 1);
    keys.add(key);
    for (Object k : cc) {
      if (k instanceof LongString || k instanceof String) {
        keys.add(k.toString());
      }
    }
    return keys;
  }

  private void trace(String exchange, List<String> keys, BasicProperties original, ByteBuf body, String key,
      Map<String, Object> extra) {
    String n = node;
    Exchange x = exchanges.named(EXCHANGE);
    if (n == null || x == null || exchange.equals(EXCHANGE)) {
      return;
    }
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("exchange_name", exchange);
    headers.put("routing_keys", List.copyOf(keys));
    headers.put("properties", propertiesTable(original));
    headers.put("node", n);
    headers.putAll(extra);
    ByteBuf props = alloc.buffer(256);
    try {
      BasicPropertiesCodec.encode(props, BasicProperties.EMPTY.withHeaders(FieldTable.of(headers)));
      Message copy = new Message(EXCHANGE, key, props, body, System.currentTimeMillis());
      try {
        RouteCollector route = new RouteCollector();
        router.route(x, copy, route);
        for (Queue q : route.queues()) {
          q.enqueue(copy);
        }
      } finally {
        copy.release();
      }
    } finally {
      props.release();
    }
  }

  /**
   * The original's properties as rabbit_trace's msg_to_table lists them: only those present,
   * named by their P_basic field names, integers as signed ints, the headers as a table.
   */
  static FieldTable propertiesTable(BasicProperties p) {
    Map<String, Object> t = new LinkedHashMap<>();
    put(t, "content_type", p.contentType());
    put(t, "content_encoding", p.contentEncoding());
    put(t, "headers", p.headers());
    put(t, "delivery_mode", p.deliveryMode());
    put(t, "priority", p.priority());
    put(t, "correlation_id", p.correlationId());
    put(t, "reply_to", p.replyTo());
    put(t, "expiration", p.expiration());
    put(t, "message_id", p.messageId());
    Long ts = p.timestamp();
    put(t, "timestamp", ts == null ? null : ts == (int) (long) ts ? (Object) (int) (long) ts : ts);
    put(t, "type", p.type());
    put(t, "user_id", p.userId());
    put(t, "app_id", p.appId());
    put(t, "cluster_id", p.clusterId());
    return FieldTable.of(t);
  }

  private static void put(Map<String, Object> t, String key, @Nullable Object value) {
    if (value != null) {
      t.put(key, value);
    }
  }
}
