package io.warrenmq.broker.exchange;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.message.Message;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * RabbitMQ's consistent-hash exchange ({@code x-consistent-hash}): each binding's routing key is a
 * weight (1 to 10,000); a binding owns that many consecutive buckets; a message goes to the
 * owner of bucket jump-consistent-hash(hash(key), buckets), where the key is the routing key, or
 * the header named by the exchange argument {@code hash-header}, or the property named by
 * {@code hash-property} (message_id, correlation_id or timestamp). Only the first binding to a
 * destination counts, as in RabbitMQ. Adding or removing a binding moves only the messages of
 * the buckets concerned.
 */
public final class ConsistentHashExchange extends Exchange {
  /** RabbitMQ's largest binding weight (MAX_BINDING_WEIGHT of the plugin). */
  public static final int MAX_WEIGHT = 10_000;

  private static final List<String> PROPERTIES = List.of("message_id", "correlation_id", "timestamp");

  private final @Nullable String hashHeader;
  private final @Nullable String hashProperty;
  private final List<Binding> all = new ArrayList<>();
  /** bucket -> owning binding, published copy-on-write. */
  private volatile Binding[] buckets = BindingArrays.EMPTY;

  ConsistentHashExchange(ExchangeSpec spec) {
    super(spec);
    FieldTable args = spec.arguments();
    hashHeader = args.getString("hash-header");
    hashProperty = args.getString("hash-property");
    if (hashHeader != null && hashProperty != null) {
      throw AmqpException.channelError(
          ReplyCode.PRECONDITION_FAILED, "hash-header and hash-property are mutually exclusive");
    }
    if (hashProperty != null && !PROPERTIES.contains(hashProperty)) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "Unsupported property: %s", hashProperty);
    }
  }

  @Override
  public void route(Message message, String routingKey, RouteCollector out) {
    Binding[] b = buckets;
    if (b.length == 0) {
      return;
    }
    if (hashHeader == null && hashProperty == null && !routingKey.equals(message.routingKeys().getFirst())) {
      // the plugin hashes the head of the message's routing keys only (jump_consistent_hash of a
      // key list): CC and BCC keys do not send it to further queues
      return;
    }
    long h = hash(keyOf(message, routingKey));
    out.add(b[jump(h, b.length)].destination());
  }

  private String keyOf(Message message, String routingKey) {
    if (hashHeader != null) {
      FieldTable headers = message.properties().headers();
      Object v = headers == null ? null : headers.get(hashHeader);
      return v == null ? "" : v.toString();
    }
    if (hashProperty != null) {
      BasicProperties p = message.properties();
      Object v = switch (hashProperty) {
        case "message_id" -> p.messageId();
        case "correlation_id" -> p.correlationId();
        default -> p.timestamp();
      };
      return v == null ? "" : v.toString();
    }
    return routingKey;
  }

  /** 64-bit FNV-1a over the key's UTF-8 bytes, finished with a mixer (avalanche for jump hash). */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /** Jump consistent hash (Lamping and Veach, 2014). */
  static int jump(long key, int buckets) {
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * 2862933555777941757L + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
    }
    return (int) b;
  }

  @Override
  public synchronized boolean bind(Binding binding) {
    int weight = weight(binding.routingKey());
    for (Binding b : all) {
      if (b.equals(binding)) {
        return false;
      }
    }
    all.add(binding);
    rebuild();
    return weight > 0;
  }

  /**
   * The weight of a binding key, checked as the plugin's validate_binding: Erlang's
   * list_to_integer (an optional sign and digits, no spaces, any size), the key printed with ~tp.
   */
  private static int weight(String key) {
    if (!key.matches("[+-]?[0-9]+")) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "The binding key must be an integer: <<\"%s\">>",
          key.replace("\\", "\\\\").replace("\"", "\\\""));
    }
    BigInteger w = new BigInteger(key);
    if (w.signum() < 1) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "The binding key must be greater than 0");
    }
    if (w.compareTo(BigInteger.valueOf(MAX_WEIGHT)) > 0) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "The binding key must not exceed %d", MAX_WEIGHT);
    }
    return w.intValue();
  }

  @Override
  public synchronized boolean unbind(Binding binding) {
    if (!all.remove(binding)) {
      return false;
    }
    rebuild();
    return true;
  }

  /** Buckets in binding order; only the first binding per destination owns any. */
  private void rebuild() {
    List<Binding> owners = new ArrayList<>();
    List<Destination> seen = new ArrayList<>();
    for (Binding b : all) {
      if (seen.stream().noneMatch(d -> Objects.equals(d, b.destination()))) {
        seen.add(b.destination());
        for (int i = weight(b.routingKey()); i > 0; i--) {
          owners.add(b);
        }
      }
    }
    buckets = owners.toArray(BindingArrays.EMPTY);
  }

  @Override
  public synchronized List<Binding> bindings() {
    return List.copyOf(all);
  }

  @Override
  public synchronized boolean hasBindings() {
    return !all.isEmpty();
  }
}
