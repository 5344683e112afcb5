package io.warrenmq.broker.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.content.PropertiesSummary;
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
  private @Nullable List<String> bcc;
  private @Nullable Routing routing;
  private boolean routingKnown;
  private boolean finalProperties;
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

  /**
   * Routes with exactly {@code routing}'s keys instead of the key and CC/BCC headers, and keeps
   * its BCC keys (a message read back from a record that carries them, a dead letter).
   */
  public Message withRouting(Routing routing) {
    this.routingKeys = routing.keys();
    this.bcc = routing.bcc();
    this.routing = routing;
    this.routingKnown = true;
    return this;
  }

  /**
   * The properties are stored as they are (a dead letter's, which {@link DeathHistory} has just
   * written): {@link #storedProperties()} does not look at them again.
   */
  public Message withFinalProperties() {
    this.finalProperties = true;
    return this;
  }

  /**
   * The routing keys: the publish's key, then the keys of the CC and BCC headers (RabbitMQ's
   * sender-selected distribution: the string elements of each array; rabbit_basic
   * header_routes). The headers are decoded only when the summary saw a CC or BCC array.
   */
  public List<String> routingKeys() {
    List<String> keys = routingKeys;
    if (keys == null) {
      keys = List.of(routingKey);
      if (summary.hasRoutingHeaders()) {
        FieldTable h = properties().headers();
        if (h != null) {
          List<String> all = new ArrayList<>();
          all.add(routingKey);
          addKeys(all, h.getArray("CC"));
          addKeys(all, h.getArray("BCC"));
          keys = List.copyOf(all);
        }
      }
      routingKeys = keys;
    }
    return keys;
  }

  /** The keys of the BCC header (or those a record or dead letter carried), empty when none. */
  public List<String> bccKeys() {
    List<String> keys = bcc;
    if (keys == null) {
      keys = List.of();
      if (summary.bccType() == PropertiesSummary.ARRAY) {
        FieldTable h = properties().headers();
        List<String> all = new ArrayList<>();
        addKeys(all, h == null ? null : h.getArray("BCC"));
        keys = List.copyOf(all);
      }
      bcc = keys;
    }
    return keys;
  }

  /**
   * What a record must carry besides its routing key and properties: null when the routing key
   * and the CC header say it all (the common case, a version 1 record), else the keys and BCC
   * keys (a message with BCC keys, whose header is not stored; a dead letter).
   */
  public @Nullable Routing routing() {
    if (!routingKnown) {
      List<String> b = bccKeys();
      routing = b.isEmpty() ? null : new Routing(routingKeys(), b);
      routingKnown = true;
    }
    return routing;
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
   * (RabbitMQ: BCC recipients are not disclosed to consumers) and an {@code x-death} header is
   * rewritten as RabbitMQ 3.13 interprets it ({@link DeathHistory#interpret}). The properties are
   * decoded only when the summary saw one of those headers. Borrowed like the raw properties.
   */
  public ByteBuf storedProperties() {
    if (stored != null) {
      return stored;
    }
    if (finalProperties || (summary.bccType() == 0 && !summary.hasXDeath())) {
      return properties;
    }
    BasicProperties p = properties();
    FieldTable h = p.headers();
    if (h == null) {
      return properties;
    }
    FieldTable out = DeathHistory.interpret(h.without("BCC"));
    if (out.equals(h)) {
      finalProperties = true; // nothing to rewrite: the next queue need not look again
      return properties;
    }
    ByteBuf buf = Unpooled.buffer(properties.readableBytes() + 64);
    BasicPropertiesCodec.encode(buf, p.withHeaders(out));
    stored = buf;
    return buf;
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
