package io.warrenmq.broker.message;

import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.types.ByteArray;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.amqp.types.Timestamp;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code x-death} history as RabbitMQ 3.13.7 keeps it (mc_amqpl, mc:record_death, with the
 * feature flag message_containers_deaths_v2 on, as on every new 3.13 node).
 *
 * <p><b>Written</b>: an array of tables, most recent first, one per (queue, reason) with
 * {@code count}, {@code reason}, {@code queue}, {@code time} (first death), {@code exchange},
 * {@code routing-keys} and, when the message had a per-message TTL, {@code original-expiration}
 * (first in the table); plus {@code x-last-death-reason/queue/exchange}, set every time, and
 * {@code x-first-death-reason/queue/exchange}, set when the message had no history. The
 * {@code expiration} property is removed, since the message is no longer subject to it.
 *
 * <p><b>Read</b> from a published message (mc_amqpl headers_to_deaths, RabbitMQ PR #11339): an
 * {@code x-death} array is the message's history; each table in it with {@code exchange},
 * {@code queue}, {@code routing-keys}, {@code reason}, {@code count} and an integral {@code time}
 * is one entry, rewritten to the fields above; any other element (an entry without
 * {@code count}, as brokers before 3.5 wrote them, a non-table) is dropped. Duplicates for the
 * same (queue, reason) are kept, and the first of them counts on. An {@code x-death} that is not
 * an array is no history: it stays as it is until the first death replaces it. A message with a
 * history (an array, even one left empty) gets no {@code x-first-death-*} headers added.
 *
 * <p>Where RabbitMQ 3.13.7 would crash on an entry it accepted (binary_to_existing_atom of a
 * reason no atom has, a {@code count}, queue, exchange or routing key that is not of the type it
 * writes back, an {@code original-expiration} that is not an integer), the entry is dropped
 * instead; a reason other than RabbitMQ's four is kept as it is.
 */
public final class DeathHistory {
  private static final String X_DEATH = "x-death";

  private DeathHistory() {}

  /**
   * {@code headers} with {@code x-death} rewritten as RabbitMQ 3.13.7 delivers a message published
   * with one (only the entries it recovers, in its field order); unchanged when there is no
   * {@code x-death} array.
   */
  public static FieldTable interpret(FieldTable headers) {
    List<FieldTable> deaths = recover(headers.get(X_DEATH));
    return deaths == null ? headers : headers.with(X_DEATH, deaths);
  }

  /**
   * Returns {@code props} with one more death recorded (mc:record_death).
   *
   * @param reason rejected, expired, maxlen or delivery_limit
   * @param queue the queue the message died in
   * @param exchange the exchange it was last published or dead-lettered to
   * @param routingKeys its routing keys, CC included and BCC excluded ({@link Routing#withoutBcc})
   */
  public static BasicProperties record(
      BasicProperties props, String reason, String queue, String exchange, List<String> routingKeys, long nowMs) {
    FieldTable headers = props.headers() == null ? FieldTable.EMPTY : props.headers();
    List<FieldTable> deaths = recover(headers.get(X_DEATH));
    FieldTable h;
    if (deaths == null) {
      h = headers.with(X_DEATH, List.of(newDeath(props.expiration(), reason, queue, exchange, routingKeys, nowMs)))
          .with("x-first-death-reason", LongString.of(reason))
          .with("x-first-death-queue", LongString.of(queue))
          .with("x-first-death-exchange", LongString.of(exchange));
    } else {
      List<FieldTable> out = new ArrayList<>(deaths.size() + 1);
      int same = indexOf(deaths, queue, reason);
      if (same >= 0) {
        // mc:update_death: only the count goes up; time, exchange, routing keys and
        // original-expiration stay those of the first such death; the entry moves to the front
        out.add(counted(deaths.get(same)));
      } else {
        out.add(newDeath(props.expiration(), reason, queue, exchange, routingKeys, nowMs));
      }
      for (int i = 0; i < deaths.size(); i++) {
        if (i != same) {
          out.add(deaths.get(i));
        }
      }
      h = headers.with(X_DEATH, out);
    }
    h = h.with("x-last-death-reason", LongString.of(reason))
        .with("x-last-death-queue", LongString.of(queue))
        .with("x-last-death-exchange", LongString.of(exchange));
    return props.withHeaders(h).withExpiration(null);
  }

  /**
   * Whether dead-lettering into {@code target} closes a cycle RabbitMQ breaks (mc is_cycle_v2):
   * the message already died in {@code target} and no death up to the most recent one there
   * (most recent first) was a rejection.
   */
  public static boolean isCycle(BasicProperties props, String target) {
    FieldTable headers = props.headers();
    List<FieldTable> deaths = headers == null ? null : recover(headers.get(X_DEATH));
    if (deaths == null) {
      return false;
    }
    for (FieldTable t : deaths) {
      if ("rejected".equals(t.getString("reason"))) {
        return false;
      }
      if (target.equals(t.getString("queue"))) {
        return true;
      }
    }
    return false;
  }

  /** The entries of an {@code x-death} value (mc_amqpl recover_deaths); null when it is not an array. */
  static @Nullable List<FieldTable> recover(@Nullable Object xDeath) {
    if (!(xDeath instanceof List<?> list)) {
      return null;
    }
    List<FieldTable> out = new ArrayList<>(list.size());
    for (Object o : list) {
      FieldTable t = recoverOne(o);
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  private static @Nullable FieldTable recoverOne(@Nullable Object o) {
    if (!(o instanceof FieldTable t)) {
      return null;
    }
    LongString exchange = text(t.get("exchange"));
    LongString queue = text(t.get("queue"));
    LongString reason = text(t.get("reason"));
    Long count = integer(t.get("count"));
    Long time = integer(t.get("time"));
    List<LongString> keys = keys(t.get("routing-keys"));
    if (exchange == null || queue == null || reason == null || count == null || time == null || keys == null) {
      return null;
    }
    LongString expiration = null;
    if (t.containsKey("original-expiration")) {
      expiration = integerText(t.get("original-expiration"));
      if (expiration == null) {
        return null;
      }
    }
    return entry(expiration, count, reason, queue, new Timestamp(time), exchange, keys);
  }

  private static int indexOf(List<FieldTable> deaths, String queue, String reason) {
    for (int i = 0; i < deaths.size(); i++) {
      FieldTable t = deaths.get(i);
      if (queue.equals(t.getString("queue")) && reason.equals(t.getString("reason"))) {
        return i;
      }
    }
    return -1;
  }

  private static FieldTable newDeath(
      @Nullable String expiration, String reason, String queue, String exchange, List<String> routingKeys, long nowMs) {
    List<LongString> keys = new ArrayList<>(routingKeys.size());
    routingKeys.forEach(k -> keys.add(LongString.of(k)));
    LongString exp = expiration == null ? null : integerText(LongString.of(expiration));
    if (expiration != null && exp == null) {
      exp = LongString.of(expiration);
    }
    return entry(exp, 1L, LongString.of(reason), LongString.of(queue), new Timestamp(nowMs / 1000),
        LongString.of(exchange), keys);
  }

  /** One entry in RabbitMQ's field order (mc_amqpl death_table). */
  private static FieldTable entry(@Nullable LongString expiration, long count, LongString reason, LongString queue,
      Timestamp time, LongString exchange, List<LongString> keys) {
    Map<String, Object> entry = new LinkedHashMap<>();
    if (expiration != null) {
      entry.put("original-expiration", expiration);
    }
    entry.put("count", count);
    entry.put("reason", reason);
    entry.put("queue", queue);
    entry.put("time", time);
    entry.put("exchange", exchange);
    entry.put("routing-keys", keys);
    return FieldTable.of(entry);
  }

  private static FieldTable counted(FieldTable previous) {
    Long count = previous.getLong("count");
    return previous.with("count", count == null ? 1L : count + 1);
  }

  /** A longstr or byte array (both an Erlang binary) as a longstr; null for anything else. */
  private static @Nullable LongString text(@Nullable Object v) {
    return switch (v) {
      case LongString s -> s;
      case ByteArray b -> LongString.copyOf(b.bytes());
      case null, default -> null;
    };
  }

  /** Any integral value, a timestamp included (an Erlang integer after rabbit_misc:amqp_table). */
  private static @Nullable Long integer(@Nullable Object v) {
    return v instanceof Timestamp t ? Long.valueOf(t.epochSeconds()) : FieldTable.integral(v);
  }

  private static @Nullable List<LongString> keys(@Nullable Object v) {
    if (!(v instanceof List<?> list)) {
      return null;
    }
    List<LongString> keys = new ArrayList<>(list.size());
    for (Object o : list) {
      LongString k = text(o);
      if (k == null) {
        return null;
      }
      keys.add(k);
    }
    return keys;
  }

  /** An integer as text the way Erlang's binary_to_integer then integer_to_binary leaves it, or null. */
  private static @Nullable LongString integerText(@Nullable Object v) {
    LongString s = text(v);
    if (s == null) {
      return null;
    }
    String t = s.toString();
    int start = t.startsWith("+") || t.startsWith("-") ? 1 : 0;
    if (t.length() == start) {
      return null;
    }
    for (int i = start; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return null;
      }
    }
    return LongString.of(new BigInteger(t).toString());
  }
}
