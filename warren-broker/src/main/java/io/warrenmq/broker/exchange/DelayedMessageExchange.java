package io.warrenmq.broker.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.ArgumentTypes;
import io.warrenmq.broker.queue.Queue;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * RabbitMQ's delayed message exchange ({@code x-delayed-message}, from the plugin): a message with
 * a positive {@code x-delay} header (milliseconds) is held, on disk, and routed when its delay is
 * over; other messages are routed at once. Routing follows the exchange type named by the
 * {@code x-delayed-type} argument. The held messages live in a store of their own (a
 * {@link Queue} without consumers, see {@code DelayedMessages}), so they cost no heap, survive a
 * restart when the exchange is durable and the message persistent, and wait as long as asked.
 */
public final class DelayedMessageExchange extends Exchange {
  private final Exchange inner;
  private final Queue held;

  /**
   * @param held where delayed messages wait; it routes them through {@link #routeNow} when due
   */
  public DelayedMessageExchange(ExchangeSpec spec, Queue held) {
    super(spec);
    this.inner = Exchange.create(new ExchangeSpec(spec.vhost(), spec.name(), delayedType(spec), spec.durable(),
        spec.autoDelete(), spec.internal(), spec.arguments()));
    this.held = held;
  }

  /**
   * The x-delayed-type argument, checked as the plugin's validate: 406 if it is missing or not a
   * string; a name that is no exchange type fails rabbit_exchange:check_type, a channel error 406
   * in RabbitMQ 3.13.7 (as {@code VirtualHost.checkExchangeType}).
   */
  public static String delayedType(ExchangeSpec spec) {
    String t = spec.arguments().getString("x-delayed-type");
    if (t == null || t.equals("x-delayed-message")) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "Invalid argument, 'x-delayed-type' must be an existing exchange type");
    }
    if (!TYPES.contains(t)) {
      throw unknownType(t);
    }
    return t;
  }

  /** The store of held messages. */
  public Queue held() {
    return held;
  }

  /** The delay asked by the message's x-delay header, 0 for none. */
  public static long delayOf(Message m) {
    if (!m.summary().hasHeaders()) {
      return 0;
    }
    FieldTable h = m.properties().headers();
    return h == null ? 0 : Math.max(0, delayOf(h.get("x-delay")));
  }

  /**
   * An x-delay value in milliseconds, as the plugin's get_delay reads it: an integer, a string of
   * one (converted), or a float or decimal (truncated); anything else is no delay.
   */
  private static long delayOf(@Nullable Object v) {
    return switch (v) {
      case null -> 0;
      case Float f -> (long) f.floatValue();
      case Double d -> (long) d.doubleValue();
      case BigDecimal d -> d.longValue();
      case LongString s -> parse(s.toString());
      case String s -> parse(s);
      default -> ArgumentTypes.isInteger(v) ? ArgumentTypes.longValue(v) : 0;
    };
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The properties a held message is routed with when its delay is over: x-delay negated, as the
   * plugin's swap_delay_header does, so that another delayed exchange downstream does not delay
   * it again and consumers can tell it was delayed. Returns a new buffer the caller releases.
   */
  public static ByteBuf propertiesWhenDue(ByteBuf raw, ByteBufAllocator alloc) {
    BasicProperties p = BasicPropertiesCodec.decode(raw);
    FieldTable h = p.headers();
    long delay = h == null ? 0 : delayOf(h.get("x-delay"));
    ByteBuf out = alloc.buffer(raw.readableBytes() + 8);
    if (delay > 0) {
      Object negated = delay <= Integer.MAX_VALUE ? (Object) (int) -delay : (Object) (-delay);
      BasicPropertiesCodec.encode(out, p.withHeaders(h.with("x-delay", negated)));
    } else {
      out.writeBytes(raw, raw.readerIndex(), raw.readableBytes());
    }
    return out;
  }

  @Override
  public void route(Message message, String routingKey, RouteCollector out) {
    if (delayOf(message) > 0) {
      out.addQueue(held);
    } else {
      inner.route(message, routingKey, out);
    }
  }

  /** Routes a message whose delay is over, by the bindings. */
  public void routeNow(Message message, String routingKey, RouteCollector out) {
    inner.route(message, routingKey, out);
  }

  @Override
  public boolean bind(Binding binding) {
    return inner.bind(binding); // kept by the inner exchange, naming this one as their source
  }

  @Override
  public boolean unbind(Binding binding) {
    return inner.unbind(binding);
  }

  @Override
  public List<Binding> bindings() {
    return inner.bindings();
  }

  @Override
  public boolean hasBindings() {
    return inner.hasBindings();
  }
}
