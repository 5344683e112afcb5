package io.warrenmq.broker.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.types.ByteArray;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.amqp.types.Timestamp;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeathHistoryTest {
  static final long NOW = 1_800_000_000_000L;

  static Map<String, Object> death(String queue, String reason, Object count) {
    Map<String, Object> d = new LinkedHashMap<>();
    if (count != null) {
      d.put("count", count);
    }
    d.put("reason", reason);
    d.put("queue", queue);
    d.put("time", new Timestamp(1_700_000_000L));
    d.put("exchange", "");
    d.put("routing-keys", List.of(queue));
    return d;
  }

  static BasicProperties withXDeath(Object xDeath) {
    return BasicProperties.EMPTY.withHeaders(FieldTable.of(Map.of("x-death", xDeath)));
  }

  @SuppressWarnings("unchecked")
  static List<FieldTable> deaths(BasicProperties p) {
    return (List<FieldTable>) (List<?>) p.headers().getArray("x-death");
  }

  static BasicProperties reject(BasicProperties p, String queue) {
    return DeathHistory.record(p, "rejected", queue, "x", List.of("k"), NOW);
  }

  @Test
  void theFirstDeathOfAMessageWithoutHistoryAddsTheFirstAndLastDeathHeaders() {
    BasicProperties p = DeathHistory.record(BasicProperties.EMPTY.withExpiration("+050"), "expired", "q", "x",
        List.of("k", "cc"), NOW);
    FieldTable d = deaths(p).getFirst();
    assertThat(d.asMap().keySet()).containsExactly(
        "original-expiration", "count", "reason", "queue", "time", "exchange", "routing-keys");
    assertThat(d.getString("original-expiration")).isEqualTo("50");
    assertThat(d.get("time")).isEqualTo(new Timestamp(NOW / 1000));
    assertThat(p.headers().getString("x-first-death-queue")).isEqualTo("q");
    assertThat(p.headers().getString("x-last-death-reason")).isEqualTo("expired");
    assertThat(p.expiration()).isNull();
  }

  @Test
  void aHistoryOfOnlyLegacyEntriesIsEmptyButStillAHistory() {
    BasicProperties p = reject(withXDeath(List.of(death("q", "rejected", null))), "q");
    assertThat(deaths(p)).hasSize(1);
    assertThat(deaths(p).getFirst().getLong("count")).isEqualTo(1L);
    assertThat(p.headers().containsKey("x-first-death-reason")).isFalse();
  }

  @Test
  void theFirstOfTwoEntriesForTheSameQueueAndReasonCountsOnAndMovesToTheFront() {
    BasicProperties p = reject(withXDeath(List.of(
        death("other", "expired", 1L), death("q", "rejected", 2), death("q", "rejected", 9L))), "q");
    assertThat(deaths(p)).extracting(t -> t.getString("queue")).containsExactly("q", "other", "q");
    assertThat(deaths(p)).extracting(t -> t.getLong("count")).containsExactly(3L, 1L, 9L);
  }

  @Test
  void entriesRabbitMqCouldNotWriteBackAreDropped() {
    Map<String, Object> badKeys = death("a", "expired", 1L);
    badKeys.put("routing-keys", List.of("k", 1));
    Map<String, Object> badExpiration = death("b", "expired", 1L);
    badExpiration.put("original-expiration", "soon");
    Map<String, Object> textCount = death("c", "expired", "1");
    Map<String, Object> textTime = death("d", "expired", 1L);
    textTime.put("time", "yesterday");
    Map<String, Object> longTime = death("e", "expired", 1L);
    longTime.put("time", 1_700_000_000L);
    Map<String, Object> binaryQueue = death("f", "expired", 1L);
    binaryQueue.put("queue", new ByteArray("f".getBytes(StandardCharsets.UTF_8)));
    FieldTable h = DeathHistory.interpret(FieldTable.of(Map.of("x-death",
        List.of(badKeys, badExpiration, textCount, textTime, longTime, binaryQueue, "text"))));
    List<?> kept = h.getArray("x-death");
    assertThat(kept).extracting(t -> ((FieldTable) t).getString("queue")).containsExactly("e", "f");
    assertThat(((FieldTable) kept.getFirst()).get("time")).isEqualTo(new Timestamp(1_700_000_000L));
    assertThat(((FieldTable) kept.get(1)).get("queue")).isEqualTo(LongString.of("f"));
  }

  @Test
  void headersWithoutAnXDeathArrayAreLeftAlone() {
    FieldTable none = FieldTable.of(Map.of("a", 1));
    FieldTable scalar = FieldTable.of(Map.of("x-death", "text"));
    assertThat(DeathHistory.interpret(none)).isSameAs(none);
    assertThat(DeathHistory.interpret(scalar)).isSameAs(scalar);
  }

  @Test
  void aCycleIsSeenThroughTheRecoveredHistoryOnly() {
    BasicProperties p = withXDeath(List.of(death("b", "rejected", null), death("b", "expired", 1L)));
    BasicProperties dead = DeathHistory.record(p, "expired", "a", "", List.of("a"), NOW);
    assertThat(DeathHistory.isCycle(dead, "b")).isTrue();
    assertThat(DeathHistory.isCycle(dead, "c")).isFalse();
    BasicProperties rejectedSince = reject(dead, "c");
    assertThat(DeathHistory.isCycle(rejectedSince, "b")).isFalse();
  }
}
