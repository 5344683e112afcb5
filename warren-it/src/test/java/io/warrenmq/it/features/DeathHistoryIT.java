package io.warrenmq.it.features;

import static io.warrenmq.it.features.Fixtures.awaitGet;
import static io.warrenmq.it.features.Fixtures.awaitReady;
import static io.warrenmq.it.features.Fixtures.deadLetterTarget;
import static io.warrenmq.it.features.Fixtures.header;
import static io.warrenmq.it.features.Fixtures.queueWithDlx;
import static io.warrenmq.it.features.Fixtures.routingKeys;
import static io.warrenmq.it.features.Fixtures.xDeath;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.features.Fixtures.Dlx;
import io.warrenmq.it.support.BrokerExtension;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An {@code x-death} header a client publishes, as RabbitMQ 3.13.7 reads it (mc_amqpl
 * headers_to_deaths, PR #11339, since 3.13.3) and carries it on (mc:record_death): every table with
 * exchange, queue, routing-keys, reason, count and time is an entry of the message's history, anything
 * else is dropped; the history is delivered rewritten and counts on when the message dies again.
 */
class DeathHistoryIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  static final Date TIME = new Date(1_700_000_000_000L);

  Connection conn;
  Channel ch;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  /** An x-death table as RabbitMQ writes it; {@code count} null leaves it out (a pre-3.5 entry). */
  static Map<String, Object> death(String queue, String reason, Object count) {
    Map<String, Object> d = new LinkedHashMap<>();
    if (count != null) {
      d.put("count", count);
    }
    d.put("reason", reason);
    d.put("queue", queue);
    d.put("time", TIME);
    d.put("exchange", "");
    d.put("routing-keys", List.of(queue));
    return d;
  }

  static AMQP.BasicProperties withHeaders(Map<String, Object> headers) {
    return new AMQP.BasicProperties.Builder().headers(headers).build();
  }

  static AMQP.BasicProperties withXDeath(Object xDeath) {
    return withHeaders(Map.of("x-death", xDeath));
  }

  void reject(String queue) throws Exception {
    awaitReady(ch, queue, 1);
    ch.basicReject(ch.basicGet(queue, false).getEnvelope().getDeliveryTag(), false);
  }

  @Test
  void aClientRepublishingADeadLetterWithTheHeadersItReceivedContinuesTheCount() throws Exception {
    String q = unique("dh-republish");
    Dlx dlx = queueWithDlx(ch, q, Map.of());
    ch.basicPublish("", q, null, bytes("m"));
    reject(q);
    GetResponse once = awaitGet(ch, dlx.queue());
    ch.basicPublish("", q, withHeaders(once.getProps().getHeaders()), bytes("m"));
    reject(q);
    GetResponse twice = awaitGet(ch, dlx.queue());

    List<Map<String, Object>> deaths = xDeath(twice.getProps());
    assertThat(deaths).hasSize(1);
    assertThat(deaths.getFirst().get("count")).isEqualTo(2L);
    assertThat(deaths.getFirst().get("time")).isEqualTo(xDeath(once.getProps()).getFirst().get("time"));
    assertThat(header(twice.getProps(), "x-first-death-queue")).isEqualTo(q);
    assertThat(header(twice.getProps(), "x-last-death-queue")).isEqualTo(q);
  }

  @Test
  void anEntryWithoutCountIsDroppedFromTheHistoryADeliveryShows() throws Exception {
    String q = unique("dh-legacy");
    ch.queueDeclare(q, false, false, false, null);
    ch.basicPublish("", q, withXDeath(List.of(death("old", "rejected", null), death("kept", "expired", 4L))), bytes("m"));
    List<Map<String, Object>> deaths = xDeath(awaitGet(ch, q).getProps());
    assertThat(deaths).hasSize(1);
    assertThat(deaths.getFirst().get("queue").toString()).isEqualTo("kept");
    assertThat(deaths.getFirst().get("count")).isEqualTo(4L);
  }

  @Test
  void anArrayWithNothingRecoverableIsDeliveredEmpty() throws Exception {
    String q = unique("dh-empty");
    ch.queueDeclare(q, false, false, false, null);
    ch.basicPublish("", q, withXDeath(List.of(death("old", "rejected", null), "not a table", 7)), bytes("m"));
    assertThat((List<?>) awaitGet(ch, q).getProps().getHeaders().get("x-death")).isEmpty();
  }

  @Test
  void recoveredEntriesAreRewrittenWithRabbitMqsFieldsAndTypes() throws Exception {
    String q = unique("dh-rewrite");
    ch.queueDeclare(q, false, false, false, null);
    Map<String, Object> d = death("elsewhere", "expired", 3); // an int, as some clients write it
    d.put("note", "not RabbitMQ's");
    d.put("original-expiration", "0100");
    ch.basicPublish("", q, withXDeath(List.of(d)), bytes("m"));
    Map<String, Object> got = xDeath(awaitGet(ch, q).getProps()).getFirst();
    assertThat(got.keySet()).containsExactlyInAnyOrder(
        "original-expiration", "count", "reason", "queue", "time", "exchange", "routing-keys");
    assertThat(got.get("count")).isEqualTo(3L);
    assertThat(got.get("original-expiration").toString()).isEqualTo("100");
    assertThat(got.get("time")).isEqualTo(TIME);
    assertThat(routingKeys(got)).containsExactly("elsewhere");
  }

  @Test
  void aMessageWithLegacyEntriesDeadLetteredThreeTimesEndsWithOneEntry() throws Exception {
    String q = unique("dh-three");
    ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q));
    List<Object> legacy = List.of(death(q, "rejected", null), death(q, "expired", null), death("gone", "maxlen", null));
    ch.basicPublish("", q, withXDeath(legacy), bytes("m"));
    for (int i = 0; i < 3; i++) {
      reject(q);
    }
    awaitReady(ch, q, 1);
    AMQP.BasicProperties p = ch.basicGet(q, true).getProps();
    List<Map<String, Object>> deaths = xDeath(p);
    assertThat(deaths).hasSize(1);
    assertThat(deaths.getFirst().get("queue").toString()).isEqualTo(q);
    assertThat(deaths.getFirst().get("count")).isEqualTo(3L);
    // the message came with a history (an array), so RabbitMQ adds no x-first-death-* headers
    assertThat(p.getHeaders()).doesNotContainKey("x-first-death-reason");
    assertThat(header(p, "x-last-death-reason")).isEqualTo("rejected");
  }

  @Test
  void duplicateEntriesForOneQueueAndReasonAreKeptAndTheFirstCountsOn() throws Exception {
    String q = unique("dh-dup");
    Dlx dlx = queueWithDlx(ch, q, Map.of());
    ch.basicPublish("", q, withXDeath(List.of(death(q, "rejected", 5L), death(q, "rejected", 7L))), bytes("m"));
    reject(q);
    List<Map<String, Object>> deaths = xDeath(awaitGet(ch, dlx.queue()).getProps());
    assertThat(deaths).extracting(d -> d.get("queue").toString()).containsExactly(q, q);
    assertThat(deaths).extracting(d -> d.get("count")).containsExactly(6L, 7L);
  }

  @Test
  void entriesForOtherQueuesAndReasonsStayBehindTheNewDeath() throws Exception {
    String q = unique("dh-foreign");
    Dlx dlx = queueWithDlx(ch, q, Map.of());
    ch.basicPublish("", q, withXDeath(List.of(
        death("elsewhere", "expired", 2L), death(q, "expired", 1L), death("other", "moved-by-app", 1L))), bytes("m"));
    reject(q);
    AMQP.BasicProperties p = awaitGet(ch, dlx.queue()).getProps();
    List<Map<String, Object>> deaths = xDeath(p);
    assertThat(deaths).extracting(d -> d.get("queue").toString()).containsExactly(q, "elsewhere", q, "other");
    assertThat(deaths).extracting(d -> d.get("reason").toString())
        .containsExactly("rejected", "expired", "expired", "moved-by-app");
    assertThat(deaths).extracting(d -> d.get("count")).containsExactly(1L, 2L, 1L, 1L);
    assertThat(p.getHeaders()).doesNotContainKey("x-first-death-queue");
    assertThat(header(p, "x-last-death-queue")).isEqualTo(q);
  }

  @Test
  void anXDeathThatIsNotAnArrayIsKeptUntilTheFirstDeathReplacesIt() throws Exception {
    String q = unique("dh-scalar");
    Dlx dlx = queueWithDlx(ch, q, Map.of());
    ch.basicPublish("", q, withXDeath("garbage"), bytes("m"));
    awaitReady(ch, q, 1);
    GetResponse first = ch.basicGet(q, false);
    assertThat(header(first.getProps(), "x-death")).isEqualTo("garbage");
    ch.basicReject(first.getEnvelope().getDeliveryTag(), false);
    AMQP.BasicProperties p = awaitGet(ch, dlx.queue()).getProps();
    assertThat(xDeath(p)).extracting(d -> d.get("queue").toString()).containsExactly(q);
    assertThat(header(p, "x-first-death-queue")).isEqualTo(q);
  }

  @Test
  void aCycleThroughAQueueTheClientsHistoryNamesIsBrokenOnceItsLegacyEntriesAreDropped() throws Exception {
    // a --expired--> b, whose history says the message expired there before: a cycle without a
    // rejection (the legacy "rejected" entry without count does not count), so b is skipped
    String a = unique("dh-cycle-a");
    String b = a + ".b";
    Dlx fromA = deadLetterTarget(ch, a);
    ch.queueDeclare(b, false, false, false, null);
    ch.queueBind(b, fromA.exchange(), "");
    ch.queueDeclare(a, false, false, false, Map.of("x-dead-letter-exchange", fromA.exchange(), "x-message-ttl", 5));
    ch.basicPublish("", a, withXDeath(List.of(death(b, "rejected", null), death(b, "expired", 1L))), bytes("looped"));
    awaitReady(ch, fromA.queue(), 1);
    ch.basicPublish("", a, null, bytes("fresh"));
    awaitReady(ch, b, 1);
    assertThat(drain(ch, b)).containsExactly("fresh");
    assertThat(drain(ch, fromA.queue())).containsExactly("looped", "fresh");
  }
}
