package io.warrenmq.broker.message;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.content.PropertiesSummary;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A message on its way from a publisher to queues: where it was published and the raw content
 * header properties and body exactly as the publisher sent them.
 *
 * <p>Buffers: the properties and body are BORROWED from whoever built the message (the server's
 * publish assembler); they stay valid only for the duration of the publish call. A queue that keeps
 * the message copies it into its store. Not thread-safe; lives on the publishing thread.
 */
public final class Message {
  private final String exchange;
  private final String routingKey;
  private final ByteBuf properties;
  private final PropertiesSummary summary;
  private final ByteBuf body;
  private final long timestamp;
  private @Nullable BasicProperties decoded;
  private @Nullable List<String> routingKeys;
  private @Nullable ByteBuf stored;

  /**
   * @param properties raw property flags and list, borrowed
   * @param body the body, borrowed (may be a composite of frame slices)
   * @param timestamp arrival time, epoch milliseconds
   */
  public Message(String exchange, String routingKey, ByteBuf properties, ByteBuf body, long timestamp) {
    this(exchange, routingKey, properties, BasicPropertiesCodec.summarize(properties), body, timestamp);
  }

  public Message(
      String exchange,
      String routingKey,
      ByteBuf properties,
      PropertiesSummary summary,
      ByteBuf body,
      long timestamp) {
    this.exchange = exchange;
    this.routingKey = routingKey;
    this.properties = properties;
    this.summary = summary;
    this.body = body;
    this.timestamp = timestamp;
  }

  public String exchange() {
    return exchange;
  }

  public String routingKey() {
    return routingKey;
  }

  /** The raw property flags and list, borrowed: do not release, do not move its reader index. */
  public ByteBuf rawProperties() {
    return properties;
  }

  /** The body, borrowed: do not release, do not move its reader index. */
  public ByteBuf body() {
    return body;
  }

  public int bodySize() {
    return body.readableBytes();
  }

  public long timestamp() {
    return timestamp;
  }

  public PropertiesSummary summary() {
    return summary;
  }

  /** Delivery mode 2, as AMQP 0-9-1 basic.properties delivery-mode defines persistent. */
  public boolean persistent() {
    return summary.deliveryMode() == 2;
  }

  /** The decoded properties; decoded on first use only (headers exchange, CC/BCC, dead-lettering). */
  public BasicProperties properties() {
    BasicProperties p = decoded;
    if (p == null) {
      p = BasicPropertiesCodec.decode(properties);
      decoded = p;
    }
    return p;
  }

  /** Routes with exactly {@code keys} instead of the key and CC/BCC headers (dead letters). */
  public Message withRoutingKeys(List<String> keys) {
    this.routingKeys = List.copyOf(keys);
    return this;
  }

  /**
   * The routing keys: the publish's key, then the keys of the CC and BCC headers (RabbitMQ's
   * sender-selected distribution).
   */
  public List<String> routingKeys() {
    List<String> keys = routingKeys;
    if (keys == null) {
      keys = List.of(routingKey);
      if (summary.hasHeaders()) {
        FieldTable h = properties().headers();
        List<@Nullable Object> cc = h == null ? null : h.getArray("CC");
        List<@Nullable Object> bcc = h == null ? null : h.getArray("BCC");
        if (cc != null || bcc != null) {
          List<String> all = new ArrayList<>();
          all.add(routingKey);
          addKeys(all, cc);
          addKeys(all, bcc);
          keys = List.copyOf(all);
        }
      }
      routingKeys = keys;
    }
    return keys;
  }

  private static void addKeys(List<String> out, @Nullable List<@Nullable Object> values) {
    if (values != null) {
      for (Object v : values) {
        if (v instanceof LongString || v instanceof String) {
          out.add(v.toString());
        }
      }
    }
  }

  /**
   * The properties as queues store them: the published ones, except that a BCC header is removed
   * (RabbitMQ: BCC recipients are not disclosed to consumers). Borrowed like the raw properties.
   */
  public ByteBuf storedProperties() {
    if (stored != null) {
      return stored;
    }
    if (summary.hasHeaders()) {
      BasicProperties p = properties();
      FieldTable h = p.headers();
      if (h != null && h.containsKey("BCC")) {
        ByteBuf out = Unpooled.buffer(properties.readableBytes());
        BasicPropertiesCodec.encode(out, p.withHeaders(h.without("BCC")));
        stored = out;
        return out;
      }
    }
    return properties;
  }

  /** Releases what the message allocated itself (re-encoded properties); not the borrowed buffers. */
  public void release() {
    if (stored != null) {
      stored.release();
      stored = null;
    }
  }

  @Override
  public String toString() {
    return "Message[exchange=" + exchange + ", routingKey=" + routingKey + ", bodySize=" + bodySize() + "]";
  }
}
