package io.warrenmq.broker.message;

import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.amqp.types.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code x-death} history RabbitMQ writes into a dead-lettered message's headers (AMQP 0-9-1
 * mapping of mc_amqpl): an array of tables, most recent first, one per (queue, reason) with
 * {@code count}, {@code reason}, {@code queue}, {@code time} (first death), {@code exchange},
 * {@code routing-keys} and, when the message had a per-message TTL, {@code original-expiration};
 * plus {@code x-first-death-reason/queue/exchange} (set once) and
 * {@code x-last-death-reason/queue/exchange} (set every time). The {@code expiration} property is
 * removed, since the message is no longer subject to it.
 */
public final class DeathHistory {
  private DeathHistory() {}

  /**
   * Returns {@code props} with one more death recorded.
   *
   * @param reason rejected, expired, maxlen or delivery_limit
   * @param queue the queue the message died in
   * @param exchange the exchange it was originally published to
   * @param routingKeys its routing keys, CC included and BCC excluded
   */
  public static BasicProperties record(
      BasicProperties props, String reason, String queue, String exchange, List<String> routingKeys, long nowMs) {
    FieldTable headers = props.headers() == null ? FieldTable.EMPTY : props.headers();
    List<@Nullable Object> deaths = new ArrayList<>();
    List<@Nullable Object> old = headers.getArray("x-death");
    FieldTable previous = null;
    if (old != null) {
      for (Object o : old) {
        if (o instanceof FieldTable t && queue.equals(t.getString("queue")) && reason.equals(t.getString("reason"))) {
          previous = t;
        } else {
          deaths.add(o);
        }
      }
    }
    deaths.addFirst(previous != null
        ? counted(previous)
        : firstDeath(props.expiration(), reason, queue, exchange, routingKeys, nowMs));

    FieldTable h = headers.with("x-death", deaths);
    if (!h.containsKey("x-first-death-reason")) {
      h = h.with("x-first-death-reason", LongString.of(reason))
          .with("x-first-death-queue", LongString.of(queue))
          .with("x-first-death-exchange", LongString.of(exchange));
    }
    h = h.with("x-last-death-reason", LongString.of(reason))
        .with("x-last-death-queue", LongString.of(queue))
        .with("x-last-death-exchange", LongString.of(exchange));
    return props.withHeaders(h).withExpiration(null);
  }

  private static FieldTable firstDeath(
      @Nullable String expiration, String reason, String queue, String exchange, List<String> routingKeys, long nowMs) {
    Map<String, Object> entry = new LinkedHashMap<>();
    if (expiration != null) {
      entry.put("original-expiration", LongString.of(expiration));
    }
    entry.put("count", 1L);
    entry.put("reason", LongString.of(reason));
    entry.put("queue", LongString.of(queue));
    entry.put("time", new Timestamp(nowMs / 1000));
    entry.put("exchange", LongString.of(exchange));
    List<Object> keys = new ArrayList<>();
    routingKeys.forEach(k -> keys.add(LongString.of(k)));
    entry.put("routing-keys", keys);
    return FieldTable.of(entry);
  }

  /**
   * The same (queue, reason) again: only the count goes up; time, exchange, routing keys and
   * original-expiration stay those of the first such death (mc:update_death).
   */
  private static FieldTable counted(FieldTable previous) {
    Long count = previous.getLong("count");
    return previous.with("count", count == null ? 1L : count + 1);
  }

  /**
   * Whether dead-lettering into {@code target} closes a cycle RabbitMQ breaks: the message already
   * died in {@code target} and no death since then (most recent first) was a rejection.
   */
  public static boolean isCycle(BasicProperties props, String target) {
    FieldTable headers = props.headers();
    List<@Nullable Object> deaths = headers == null ? null : headers.getArray("x-death");
    if (deaths == null) {
      return false;
    }
    for (Object o : deaths) {
      if (!(o instanceof FieldTable t)) {
        continue;
      }
      if ("rejected".equals(t.getString("reason"))) {
        return false;
      }
      if (target.equals(t.getString("queue"))) {
        return true;
      }
    }
    return false;
  }
}
