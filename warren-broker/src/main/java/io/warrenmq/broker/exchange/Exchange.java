package io.warrenmq.broker.exchange;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.stats.ExchangeCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An exchange: routes a message to destinations by its bindings.
 *
 * <p>Threading: {@link #route} runs concurrently on every publishing thread and takes no lock;
 * bindings change under the exchange's monitor and are published through volatile copy-on-write
 * structures, so a route sees either the old or the new set of bindings.
 */
public abstract sealed class Exchange
    permits DirectExchange, ArrayBindingsExchange, TopicExchange, ConsistentHashExchange, DelayedMessageExchange, DefaultExchange {

  /** The exchange types this broker knows, by their AMQP names. */
  public static final List<String> TYPES =
      List.of("direct", "fanout", "topic", "headers", "x-consistent-hash", "x-delayed-message",
          ExchangeDeduplication.PLUGIN_TYPE);

  private final ExchangeSpec spec;
  private volatile @Nullable String alternateExchange;
  private volatile @Nullable ExchangeDeduplication deduplication;
  /** Made on the first publish, so that idle exchanges carry no counters. */
  private volatile @Nullable ExchangeCounts counts;

  protected Exchange(ExchangeSpec spec) {
    this.spec = spec;
  }

  /** The exchange's counters, made on first use (once: a race makes one and drops the other). */
  public ExchangeCounts countsForPublish() {
    ExchangeCounts c = counts;
    if (c == null) {
      synchronized (this) {
        c = counts;
        if (c == null) {
          c = new ExchangeCounts();
          counts = c;
        }
      }
    }
    return c;
  }

  /** The counters, or null if nothing was ever published to this exchange. */
  public @Nullable ExchangeCounts counts() {
    return counts;
  }

  /** Creates an exchange of {@code spec.type()}; 406 PRECONDITION_FAILED for an unknown type. */
  public static Exchange create(ExchangeSpec spec) {
    return switch (spec.type()) {
      case "direct" -> new DirectExchange(spec);
      case "fanout" -> new FanoutExchange(spec);
      case "topic" -> new TopicExchange(spec);
      case "headers" -> new HeadersExchange(spec);
      case "x-consistent-hash" -> new ConsistentHashExchange(spec);
      case ExchangeDeduplication.PLUGIN_TYPE -> {
        // the deduplication plugin's exchange: fanout routing behind its cache (see ExchangeDeduplication)
        ExchangeDeduplication.validatePluginType(spec.arguments());
        yield new FanoutExchange(spec);
      }
      case "x-delayed-message" ->
          throw new IllegalArgumentException("a delayed message exchange needs its store: the vhost creates it");
      default -> throw unknownType(spec.type());
    };
  }

  /**
   * RabbitMQ 3.13.7's refusal of a type that is no exchange type (rabbit_exchange:check_type): a
   * channel error 406, "invalid" for the empty name (an Erlang atom), "unknown" for the others.
   */
  public static AmqpException unknownType(String type) {
    return AmqpException.channelError(
        ReplyCode.PRECONDITION_FAILED, "%s exchange type '%s'", type.isEmpty() ? "invalid" : "unknown", type);
  }

  /** The nameless default exchange of a vhost: routes to the queue named by the routing key. */
  public static Exchange defaultExchange(String vhost, Function<String, @Nullable Queue> queues) {
    return new DefaultExchange(vhost, queues);
  }

  public ExchangeSpec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  public String type() {
    return spec.type();
  }

  /** The effective alternate exchange (argument, else policy), or null. */
  public @Nullable String alternateExchange() {
    return alternateExchange;
  }

  /** The exchange's deduplication cache (x-message-deduplication), or null. */
  public @Nullable ExchangeDeduplication deduplication() {
    return deduplication;
  }

  public void setDeduplication(@Nullable ExchangeDeduplication d) {
    deduplication = d;
  }

  /** Set by the vhost at creation and when policies change. */
  public void setAlternateExchange(@Nullable String name) {
    alternateExchange = name;
  }

  /**
   * Adds the destinations {@code message} is routed to by this exchange's bindings, for one of its
   * routing keys (the publish's key, or a CC/BCC key: RabbitMQ's sender-selected distribution).
   */
  public abstract void route(Message message, String routingKey, RouteCollector out);

  /** Adds a binding; returns false if an identical one exists. Throws 406 for invalid arguments. */
  public abstract boolean bind(Binding binding);

  /** Removes a binding; returns false if there was none. */
  public abstract boolean unbind(Binding binding);

  /** A snapshot of the bindings. */
  public abstract List<Binding> bindings();

  public boolean hasBindings() {
    return !bindings().isEmpty();
  }

  /** Removes every binding to {@code destination}; returns those removed. */
  public synchronized List<Binding> unbindAll(Destination destination) {
    List<Binding> removed = new ArrayList<>();
    for (Binding b : bindings()) {
      if (b.destination().equals(destination) && unbind(b)) {
        removed.add(b);
      }
    }
    return removed;
  }

  @Override
  public String toString() {
    return spec.resource();
  }
}
