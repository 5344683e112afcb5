package io.warrenmq.broker.exchange;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.ByteArray;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.ArgumentTypes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Routes by message headers (AMQP 0-9-1 3.1.3.4 and RabbitMQ's extensions): a binding's arguments
 * are matched against the headers with {@code x-match} = {@code all} (default), {@code any},
 * {@code all-with-x} or {@code any-with-x}. Binding keys starting with {@code x-} take part only in
 * the "-with-x" modes; a binding value of type void matches the header's presence.
 */
public final class HeadersExchange extends ArrayBindingsExchange {
  HeadersExchange(ExchangeSpec spec) {
    super(spec);
  }

  @Override
  public void route(Message message, String routingKey, RouteCollector out) {
    Binding[] bs = current();
    if (bs.length == 0) {
      return;
    }
    FieldTable headers = message.properties().headers();
    if (headers == null) {
      headers = FieldTable.EMPTY;
    }
    for (Binding b : bs) {
      if (matches(b.arguments(), headers)) {
        out.add(b.destination());
      }
    }
  }

  /** Whether a binding with {@code args} matches a message with {@code headers}. */
  static boolean matches(FieldTable args, FieldTable headers) {
    String mode = args.getString("x-match");
    boolean any = "any".equals(mode) || "any-with-x".equals(mode);
    boolean withX = mode != null && mode.endsWith("-with-x");
    for (Map.Entry<String, @Nullable Object> e : args.asMap().entrySet()) {
      String key = e.getKey();
      if (key.equals("x-match") || (!withX && key.startsWith("x-"))) {
        continue;
      }
      boolean ok =
          e.getValue() == null
              ? headers.containsKey(key)
              : headers.containsKey(key) && sameValue(e.getValue(), headers.get(key));
      if (any && ok) {
        return true;
      }
      if (!any && !ok) {
        return false;
      }
    }
    return !any;
  }

  /**
   * Value equality as RabbitMQ compares decoded values: integers by value whatever their width,
   * floats by value whatever their width, strings and byte arrays by their bytes (both are Erlang
   * binaries).
   */
  private static boolean sameValue(Object a, @Nullable Object b) {
    if (b == null) {
      return false;
    }
    if (ArgumentTypes.isInteger(a) && ArgumentTypes.isInteger(b)) {
      return ArgumentTypes.longValue(a) == ArgumentTypes.longValue(b);
    }
    if ((a instanceof Float || a instanceof Double) && (b instanceof Float || b instanceof Double)) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    if (a instanceof LongString && b instanceof LongString) {
      return a.equals(b); // the common case, without copies
    }
    byte[] x = binary(a);
    byte[] y = binary(b);
    if (x != null && y != null) {
      return Arrays.equals(x, y);
    }
    return a.equals(b);
  }

  private static byte @Nullable [] binary(Object v) {
    return switch (v) {
      case LongString s -> s.bytes();
      case String s -> s.getBytes(StandardCharsets.UTF_8);
      case ByteArray b -> b.bytes();
      default -> null;
    };
  }

  @Override
  public boolean bind(Binding binding) {
    validate(binding.arguments());
    return super.bind(binding);
  }

  private static void validate(FieldTable args) {
    Object mode = args.get("x-match");
    if (mode == null && !args.containsKey("x-match")) {
      return;
    }
    if (!(mode instanceof LongString || mode instanceof String)) {
      throw AmqpException.channelError(
          ReplyCode.PRECONDITION_FAILED,
          "Invalid x-match field type %s (value %s); expected longstr",
          ArgumentTypes.typeName(mode),
          mode instanceof ByteArray b ? "<<\"" + new String(b.bytes(), StandardCharsets.UTF_8) + "\">>"
              : ArgumentTypes.show(mode));
    }
    String m = mode.toString();
    if (!List.of("all", "any", "all-with-x", "any-with-x").contains(m)) {
      throw AmqpException.channelError(
          ReplyCode.PRECONDITION_FAILED,
          // RabbitMQ prints the binary with ~p
          "Invalid x-match field value <<\"%s\">>; expected all, any, all-with-x, or any-with-x",
          m);
    }
  }
}
