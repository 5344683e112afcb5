package io.warrenmq.it.features;

import static io.warrenmq.it.features.Fixtures.awaitGet;
import static io.warrenmq.it.features.Fixtures.awaitReady;
import static io.warrenmq.it.features.Fixtures.deadLetterTarget;
import static io.warrenmq.it.features.Fixtures.expiring;
import static io.warrenmq.it.features.Fixtures.header;
import static io.warrenmq.it.features.Fixtures.ready;
import static io.warrenmq.it.features.Fixtures.routingKeys;
import static io.warrenmq.it.features.Fixtures.xDeath;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.features.Fixtures.Dlx;
import io.warrenmq.it.support.BrokerExtension;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dead-lettering as RabbitMQ does it (rabbit_dead_letter, mc record_death, the dead_lettering
 * SUITE): the reasons, the x-death header and the x-first/last-death headers, routing from the
 * dead-letter exchange, cycles, and a dead-letter exchange that does not exist.
 */
class DeadLetteringIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

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

  /** A queue dead-lettering to a fresh fanout DLX and its queue. */
  private record Setup(String queue, Dlx dlx) {}

  private Setup queueWithDlx(String prefix, Map<String, Object> extraArgs) throws Exception {
    String q = unique(prefix);
    Dlx dlx = deadLetterTarget(ch, q);
    Map<String, Object> args = new java.util.HashMap<>(extraArgs);
    args.put("x-dead-letter-exchange", dlx.exchange());
    ch.queueDeclare(q, false, false, false, args);
    return new Setup(q, dlx);
  }

  @Nested
  class Reasons {
    @Test
    void nackWithoutRequeueDeadLettersWithReasonRejected() throws Exception {
      Setup s = queueWithDlx("dl-nack", Map.of());
      ch.basicPublish("", s.queue(), null, bytes("m"));
      awaitReady(ch, s.queue(), 1);
      GetResponse got = ch.basicGet(s.queue(), false);
      ch.basicNack(got.getEnvelope().getDeliveryTag(), false, false);
      GetResponse dead = awaitGet(ch, s.dlx().queue());
      assertThat(text(dead.getBody())).isEqualTo("m");
      assertThat(xDeath(dead.getProps()).getFirst().get("reason").toString()).isEqualTo("rejected");
      assertThat(ready(ch, s.queue())).isZero();
    }

    @Test
    void rejectWithoutRequeueDeadLettersWithReasonRejected() throws Exception {
      Setup s = queueWithDlx("dl-reject", Map.of());
      ch.basicPublish("", s.queue(), null, bytes("m"));
      awaitReady(ch, s.queue(), 1);
      GetResponse got = ch.basicGet(s.queue(), false);
      ch.basicReject(got.getEnvelope().getDeliveryTag(), false);
      GetResponse dead = awaitGet(ch, s.dlx().queue());
      assertThat(xDeath(dead.getProps()).getFirst().get("reason").toString()).isEqualTo("rejected");
      assertThat(ready(ch, s.queue())).isZero();
    }

    @Test
    void aMultipleNackDeadLettersEveryMessageInDeliveryOrder() throws Exception {
      Setup s = queueWithDlx("dl-multi", Map.of());
      for (String m : List.of("a", "b", "c")) {
        ch.basicPublish("", s.queue(), null, bytes(m));
      }
      awaitReady(ch, s.queue(), 3);
      long last = 0;
      for (int i = 0; i < 3; i++) {
        last = ch.basicGet(s.queue(), false).getEnvelope().getDeliveryTag();
      }
      ch.basicNack(last, true, false);
      awaitReady(ch, s.dlx().queue(), 3);
      assertThat(drain(ch, s.dlx().queue())).containsExactly("a", "b", "c");
    }

    @Test
    void requeueingDoesNotDeadLetter() throws Exception {
      Setup s = queueWithDlx("dl-requeue", Map.of());
      ch.basicPublish("", s.queue(), null, bytes("m"));
      awaitReady(ch, s.queue(), 1);
      ch.basicNack(ch.basicGet(s.queue(), false).getEnvelope().getDeliveryTag(), false, true);
      ch.basicReject(ch.basicGet(s.queue(), false).getEnvelope().getDeliveryTag(), true);
      GetResponse again = ch.basicGet(s.queue(), true);
      assertThat(again.getEnvelope().isRedeliver()).isTrue();
      assertThat(again.getProps().getHeaders()).isNull();
      assertThat(ready(ch, s.dlx().queue())).isZero();
    }

    @Test
    void anExpiredMessageIsDeadLetteredWithReasonExpiredAndNoOriginalExpirationUnderQueueTtl() throws Exception {
      Setup s = queueWithDlx("dl-ttl", Map.of("x-message-ttl", 20));
      ch.basicPublish("", s.queue(), null, bytes("m"));
      GetResponse dead = awaitGet(ch, s.dlx().queue());
      Map<String, Object> death = xDeath(dead.getProps()).getFirst();
      assertThat(death.get("reason").toString()).isEqualTo("expired");
      assertThat(death).doesNotContainKey("original-expiration");
    }

    @Test
    void aPerMessageTtlIsRecordedAsOriginalExpirationAndTheExpirationPropertyIsRemoved() throws Exception {
      Setup s = queueWithDlx("dl-exp", Map.of());
      ch.basicPublish("", s.queue(), expiring("25"), bytes("m"));
      GetResponse dead = awaitGet(ch, s.dlx().queue());
      Map<String, Object> death = xDeath(dead.getProps()).getFirst();
      assertThat(death.get("reason").toString()).isEqualTo("expired");
      assertThat(death.get("original-expiration").toString()).isEqualTo("25");
      assertThat(dead.getProps().getExpiration()).isNull();
    }

    @Test
    void aRejectedMessageWithAnExpirationLosesItAndRecordsIt() throws Exception {
      Setup s = queueWithDlx("dl-rej-exp", Map.of());
      ch.basicPublish("", s.queue(), expiring("60000"), bytes("m"));
      awaitReady(ch, s.queue(), 1);
      ch.basicReject(ch.basicGet(s.queue(), false).getEnvelope().getDeliveryTag(), false);
      GetResponse dead = awaitGet(ch, s.dlx().queue());
      assertThat(dead.getProps().getExpiration()).isNull();
      assertThat(xDeath(dead.getProps()).getFirst().get("original-expiration").toString()).isEqualTo("60000");
    }

    @Test
    void dropHeadOverflowDeadLettersTheOldestWithReasonMaxlen() throws Exception {
      Setup s = queueWithDlx("dl-maxlen", Map.of("x-max-length", 1));
      ch.basicPublish("", s.queue(), null, bytes("first"));
      ch.basicPublish("", s.queue(), null, bytes("second"));
      GetResponse dead = awaitGet(ch, s.dlx().queue());
      assertThat(text(dead.getBody())).isEqualTo("first");
      assertThat(xDeath(dead.getProps()).getFirst().get("reason").toString()).isEqualTo("maxlen");
      assertThat(drain(ch, s.queue())).containsExactly("second");
    }

    @Test
    void rejectPublishDlxDeadLettersTheRefusedMessageWithReasonMaxlenAndNacksIt() throws Exception {
      Setup s = queueWithDlx("dl-rpdlx", Map.of("x-max-length", 1, "x-overflow", "reject-publish-dlx"));
      ch.confirmSelect();
      ch.basicPublish("", s.queue(), null, bytes("kept"));
      assertThat(ch.waitForConfirms(5000)).isTrue();
      ch.basicPublish("", s.queue(), null, bytes("refused"));
      assertThat(ch.waitForConfirms(5000)).isFalse();
      GetResponse dead = awaitGet(ch, s.dlx().queue());
      assertThat(text(dead.getBody())).isEqualTo("refused");
      Map<String, Object> death = xDeath(dead.getProps()).getFirst();
      assertThat(death.get("reason").toString()).isEqualTo("maxlen");
      assertThat(death.get("queue").toString()).isEqualTo(s.queue());
      assertThat(drain(ch, s.queue())).containsExactly("kept");
    }

    @Test
    void aMessageOverTheDeliveryLimitIsDeadLetteredWithReasonDeliveryLimitWhenReturned() throws Exception {
      Setup s = queueWithDlx("dl-limit", Map.of("x-delivery-limit", 1));
      ch.basicPublish("", s.queue(), null, bytes("m"));
      awaitReady(ch, s.queue(), 1);
      // quorum queues (rabbit_fifo return_one): a return that takes the delivery count over the limit dead-letters
      ch.basicNack(ch.basicGet(s.queue(), false).getEnvelope().getDeliveryTag(), false, true);
      ch.basicNack(ch.basicGet(s.queue(), false).getEnvelope().getDeliveryTag(), false, true);
      awaitReady(ch, s.dlx().queue(), 1);
      assertThat(ready(ch, s.queue())).isZero();
      GetResponse dead = ch.basicGet(s.dlx().queue(), true);
      assertThat(xDeath(dead.getProps()).getFirst().get("reason").toString()).isEqualTo("delivery_limit");
    }
  }

  @Nested
  class XDeathHeader {
    @Test
    void theFirstDeathRecordsCountReasonQueueTimeExchangeAndRoutingKeys() throws Exception {
      String q = unique("xd-first");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.exchangeDeclare(q + ".in", "direct");
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", dlx.exchange()));
      ch.queueBind(q, q + ".in", "k");
      long before = System.currentTimeMillis() / 1000;
      ch.basicPublish(q + ".in", "k", null, bytes("m"));
      awaitReady(ch, q, 1);
      ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
      GetResponse dead = awaitGet(ch, dlx.queue());
      long after = System.currentTimeMillis() / 1000;

      List<Map<String, Object>> deaths = xDeath(dead.getProps());
      assertThat(deaths).hasSize(1);
      Map<String, Object> d = deaths.getFirst();
      assertThat(d.keySet()).containsExactlyInAnyOrder("count", "reason", "queue", "time", "exchange", "routing-keys");
      assertThat(d.get("count")).isEqualTo(1L);
      assertThat(d.get("reason").toString()).isEqualTo("rejected");
      assertThat(d.get("queue").toString()).isEqualTo(q);
      assertThat(d.get("exchange").toString()).isEqualTo(q + ".in");
      assertThat(routingKeys(d)).containsExactly("k");
      assertThat(d.get("time")).isInstanceOf(Date.class);
      assertThat(((Date) d.get("time")).getTime() / 1000).isBetween(before, after);
    }

    @Test
    void theFirstAndLastDeathHeadersNameReasonQueueAndExchange() throws Exception {
      Setup s = queueWithDlx("xd-fl", Map.of());
      ch.basicPublish("", s.queue(), null, bytes("m"));
      awaitReady(ch, s.queue(), 1);
      ch.basicReject(ch.basicGet(s.queue(), false).getEnvelope().getDeliveryTag(), false);
      AMQP.BasicProperties p = awaitGet(ch, s.dlx().queue()).getProps();
      assertThat(header(p, "x-first-death-reason")).isEqualTo("rejected");
      assertThat(header(p, "x-first-death-queue")).isEqualTo(s.queue());
      assertThat(header(p, "x-first-death-exchange")).isEqualTo("");
      assertThat(header(p, "x-last-death-reason")).isEqualTo("rejected");
      assertThat(header(p, "x-last-death-queue")).isEqualTo(s.queue());
      assertThat(header(p, "x-last-death-exchange")).isEqualTo("");
    }

    @Test
    void theDeadLetterAppearsAsPublishedToTheDlxWithTheDeadLetterRoutingKey() throws Exception {
      String q = unique("xd-dlrk");
      ch.exchangeDeclare(q + ".dlx", "direct");
      ch.queueDeclare(q + ".dead", false, false, false, null);
      ch.queueBind(q + ".dead", q + ".dlx", "dead-key");
      ch.queueDeclare(q, false, false, false,
          Map.of("x-dead-letter-exchange", q + ".dlx", "x-dead-letter-routing-key", "dead-key"));
      ch.basicPublish("", q, null, bytes("m"));
      awaitReady(ch, q, 1);
      ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
      GetResponse dead = awaitGet(ch, q + ".dead");
      assertThat(dead.getEnvelope().getExchange()).isEqualTo(q + ".dlx");
      assertThat(dead.getEnvelope().getRoutingKey()).isEqualTo("dead-key");
      // the history keeps what the message was published with
      Map<String, Object> d = xDeath(dead.getProps()).getFirst();
      assertThat(d.get("exchange").toString()).isEmpty();
      assertThat(routingKeys(d)).containsExactly(q);
    }

    @Test
    void withoutADeadLetterRoutingKeyTheOriginalKeysIncludingCcRouteTheDeadLetter() throws Exception {
      String q = unique("xd-cc");
      ch.exchangeDeclare(q + ".dlx", "direct");
      ch.queueDeclare(q + ".dead", false, false, false, null);
      ch.queueBind(q + ".dead", q + ".dlx", "cc-key");
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", q + ".dlx"));
      AMQP.BasicProperties cc = new AMQP.BasicProperties.Builder()
          .headers(Map.of("CC", List.of("cc-key"), "BCC", List.of("bcc-key"))).build();
      ch.basicPublish("", q, cc, bytes("m"));
      awaitReady(ch, q, 1);
      ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
      GetResponse dead = awaitGet(ch, q + ".dead");
      assertThat(dead.getEnvelope().getRoutingKey()).isEqualTo(q);
      Map<String, Object> d = xDeath(dead.getProps()).getFirst();
      // CC keys are recorded, BCC keys never are
      assertThat(routingKeys(d)).containsExactly(q, "cc-key");
      assertThat(dead.getProps().getHeaders()).containsKey("CC").doesNotContainKey("BCC");
    }

    @Test
    void aSecondDeathInAnotherQueueIsPrependedMostRecentFirst() throws Exception {
      String q1 = unique("xd-chain-a");
      String q2 = q1 + ".b";
      String q3 = q1 + ".c";
      ch.queueDeclare(q3, false, false, false, null);
      ch.queueDeclare(q2, false, false, false,
          Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q3));
      ch.queueDeclare(q1, false, false, false,
          Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q2));
      ch.basicPublish("", q1, expiring("10"), bytes("m"));
      awaitReady(ch, q2, 1);
      ch.basicReject(ch.basicGet(q2, false).getEnvelope().getDeliveryTag(), false);
      GetResponse dead = awaitGet(ch, q3);
      List<Map<String, Object>> deaths = xDeath(dead.getProps());
      assertThat(deaths).extracting(d -> d.get("queue").toString()).containsExactly(q2, q1);
      assertThat(deaths).extracting(d -> d.get("reason").toString()).containsExactly("rejected", "expired");
      assertThat(deaths.get(0).get("exchange").toString()).isEmpty();
      assertThat(routingKeys(deaths.get(0))).containsExactly(q2);
      assertThat(deaths.get(1).get("original-expiration").toString()).isEqualTo("10");
      assertThat(deaths.get(0)).doesNotContainKey("original-expiration");
      assertThat(header(dead.getProps(), "x-first-death-queue")).isEqualTo(q1);
      assertThat(header(dead.getProps(), "x-first-death-reason")).isEqualTo("expired");
      assertThat(header(dead.getProps(), "x-last-death-queue")).isEqualTo(q2);
      assertThat(header(dead.getProps(), "x-last-death-reason")).isEqualTo("rejected");
    }

    @Test
    void dyingAgainInTheSameQueueForTheSameReasonCountsUpAndKeepsTheFirstDeathsFields() throws Exception {
      String q = unique("xd-count");
      ch.exchangeDeclare(q + ".in", "direct");
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q));
      ch.queueBind(q, q + ".in", "orig");
      ch.basicPublish(q + ".in", "orig", null, bytes("m"));
      awaitReady(ch, q, 1);
      ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
      awaitReady(ch, q, 1);
      GetResponse once = ch.basicGet(q, false);
      Date firstTime = (Date) xDeath(once.getProps()).getFirst().get("time");
      ch.basicReject(once.getEnvelope().getDeliveryTag(), false);
      awaitReady(ch, q, 1);
      GetResponse twice = ch.basicGet(q, true);

      List<Map<String, Object>> deaths = xDeath(twice.getProps());
      assertThat(deaths).hasSize(1);
      Map<String, Object> d = deaths.getFirst();
      assertThat(d.get("count")).isEqualTo(2L);
      assertThat(d.get("reason").toString()).isEqualTo("rejected");
      // rabbit mc:update_death only counts up: exchange, routing keys and time stay the first death's
      assertThat(d.get("exchange").toString()).isEqualTo(q + ".in");
      assertThat(routingKeys(d)).containsExactly("orig");
      assertThat(d.get("time")).isEqualTo(firstTime);
      assertThat(header(twice.getProps(), "x-first-death-exchange")).isEqualTo(q + ".in");
      assertThat(header(twice.getProps(), "x-last-death-exchange")).isEqualTo("");
    }

    @Test
    void anEntryDyingAgainMovesToTheFront() throws Exception {
      // a --rejected--> b --rejected--> a --rejected--> b : {a,rejected} counted twice, then in front
      String a = unique("xd-front-a");
      String b = a + ".b";
      ch.queueDeclare(a, false, false, false, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", b));
      ch.queueDeclare(b, false, false, false, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", a));
      ch.basicPublish("", a, null, bytes("m"));
      for (String q : List.of(a, b, a)) {
        awaitReady(ch, q, 1);
        ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
      }
      awaitReady(ch, b, 1);
      List<Map<String, Object>> deaths = xDeath(ch.basicGet(b, true).getProps());
      assertThat(deaths).extracting(d -> d.get("queue").toString()).containsExactly(a, b);
      assertThat(deaths).extracting(d -> d.get("count")).containsExactly(2L, 1L);
    }
  }

  @Nested
  class Cycles {
    @Test
    void aQueueDeadLetteringExpiredMessagesToItselfDropsThem() throws Exception {
      String q = unique("cyc-ttl");
      ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 10, "x-dead-letter-exchange", ""));
      ch.basicPublish("", q, null, bytes("m1"));
      ch.basicPublish("", q, null, bytes("m2"));
      // the expired messages come back once (x-death names this queue, no rejection): dropped
      String canary = unique("cyc-canary");
      Dlx c = deadLetterTarget(ch, canary);
      ch.queueDeclare(canary, false, false, false, Map.of("x-message-ttl", 200, "x-dead-letter-exchange", c.exchange()));
      ch.basicPublish("", canary, null, bytes("tick"));
      awaitGet(ch, c.queue());
      assertThat(ready(ch, q)).isZero();
      assertThat(ch.basicGet(q, true)).isNull();
    }

    @Test
    void aQueueDeadLetteringToItselfOnMaxLengthDropsTheDeadLetter() throws Exception {
      String q = unique("cyc-maxlen");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1, "x-dead-letter-exchange", ""));
      ch.basicPublish("", q, null, bytes("m1"));
      ch.basicPublish("", q, null, bytes("m2"));
      awaitReady(ch, q, 1);
      GetResponse r = ch.basicGet(q, true);
      assertThat(text(r.getBody())).isEqualTo("m2");
      assertThat(ch.basicGet(q, true)).isNull();
    }

    @Test
    void aRejectionInTheCycleLetsTheMessageComeBackAgainAndAgain() throws Exception {
      String q = unique("cyc-reject");
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", ""));
      ch.basicPublish("", q, null, bytes("m"));
      for (int i = 1; i <= 3; i++) {
        awaitReady(ch, q, 1);
        GetResponse r = ch.basicGet(q, false);
        if (i > 1) {
          assertThat(xDeath(r.getProps()).getFirst().get("count")).isEqualTo((long) i - 1);
        }
        ch.basicNack(r.getEnvelope().getDeliveryTag(), false, false);
      }
      awaitReady(ch, q, 1);
      assertThat(xDeath(ch.basicGet(q, true).getProps()).getFirst().get("count")).isEqualTo(3L);
    }

    @Test
    void aCycleWithARejectionSomewhereIsNotBrokenByLaterExpiries() throws Exception {
      // RabbitMQ's dead_letter_reject_expire_expire: Q1 --rejected--> Q2 --expired--> Q3 --expired--> Q1, twice
      String q1 = unique("cyc-rxx");
      String q2 = q1 + ".2";
      String q3 = q1 + ".3";
      ch.queueDeclare(q1, false, false, false, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q2));
      ch.queueDeclare(q2, false, false, false,
          Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q3, "x-message-ttl", 5));
      ch.queueDeclare(q3, false, false, false,
          Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q1, "x-message-ttl", 5));
      ch.basicPublish("", q1, null, bytes("m"));
      for (int round = 1; round <= 2; round++) {
        awaitReady(ch, q1, 1);
        ch.basicReject(ch.basicGet(q1, false).getEnvelope().getDeliveryTag(), false);
      }
      awaitReady(ch, q1, 1);
      List<Map<String, Object>> deaths = xDeath(ch.basicGet(q1, true).getProps());
      assertThat(deaths).extracting(d -> d.get("queue").toString()).containsExactly(q3, q2, q1);
      assertThat(deaths).extracting(d -> d.get("count")).containsExactly(2L, 2L, 2L);
    }

    @Test
    void aLoopWithoutRejectionThroughTwoQueuesStopsWhenItWouldReenterTheFirst() throws Exception {
      // a --expired--> b --expired--> (a: cycle, dropped); each DLX also copies to a watch queue
      String a = unique("cyc-two-a");
      String b = a + ".b";
      Dlx fromA = deadLetterTarget(ch, a);
      Dlx fromB = deadLetterTarget(ch, b);
      ch.queueDeclare(a, false, false, false, Map.of("x-dead-letter-exchange", fromA.exchange(), "x-message-ttl", 5));
      ch.queueDeclare(b, false, false, false, Map.of("x-dead-letter-exchange", fromB.exchange(), "x-message-ttl", 5));
      ch.queueBind(b, fromA.exchange(), "");
      ch.queueBind(a, fromB.exchange(), "");
      ch.basicPublish("", a, null, bytes("m"));
      awaitReady(ch, fromB.queue(), 1);
      String canary = unique("cyc-two-canary");
      Dlx c = deadLetterTarget(ch, canary);
      ch.queueDeclare(canary, false, false, false, Map.of("x-message-ttl", 300, "x-dead-letter-exchange", c.exchange()));
      ch.basicPublish("", canary, null, bytes("tick"));
      awaitGet(ch, c.queue());
      assertThat(ready(ch, fromA.queue())).isEqualTo(1);
      assertThat(ready(ch, fromB.queue())).isEqualTo(1);
      assertThat(ready(ch, a)).isZero();
      assertThat(ready(ch, b)).isZero();
      List<Map<String, Object>> deaths = xDeath(ch.basicGet(fromB.queue(), true).getProps());
      assertThat(deaths).extracting(d -> d.get("queue").toString()).containsExactly(b, a);
    }
  }

  @Nested
  class Arguments {
    @Test
    void aDeadLetterRoutingKeyWithoutAnExchangeIsRefused() {
      String q = unique("dl-arg-rk");
      assertThat(channelCloseOf(() -> ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-routing-key", "k"))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-dead-letter-routing-key' for queue '" + q
              + "' in vhost '/': routing_key_but_no_dlx_defined");
    }

    @Test
    void aDeadLetterExchangeThatIsNotAStringIsRefused() throws Exception {
      String q = unique("dl-arg-type");
      assertThat(channelCloseOf(() -> ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", 5))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid type 'signedint' for arg 'x-dead-letter-exchange' in queue '" + q
              + "' in vhost '/'");
      Channel c = conn.createChannel();
      assertThat(channelCloseOf(() -> c.queueDeclare(q, false, false, false,
          Map.of("x-dead-letter-exchange", "x", "x-dead-letter-routing-key", 5))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-dead-letter-routing-key' for queue '" + q
              + "' in vhost '/': {unacceptable_type,signedint}");
    }
  }

  @Nested
  class MissingExchange {
    @Test
    void aDeadLetterExchangeThatDoesNotExistDropsTheMessageSilently() throws Exception {
      String q = unique("dl-missing");
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", "no-such-dlx"));
      ch.confirmSelect();
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(ch.waitForConfirms(5000)).isTrue();
      ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
      assertThat(ch.basicGet(q, true)).isNull();
      assertThat(ch.isOpen()).isTrue();
      // declared later, the exchange takes the next dead letters
      Dlx late = new Dlx("no-such-dlx", q + ".late");
      ch.exchangeDeclare(late.exchange(), "fanout");
      ch.queueDeclare(late.queue(), false, false, false, null);
      ch.queueBind(late.queue(), late.exchange(), "");
      ch.basicPublish("", q, null, bytes("m2"));
      ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
      assertThat(text(awaitGet(ch, late.queue()).getBody())).isEqualTo("m2");
    }

    @Test
    void aDeadLetterThatRoutesNowhereIsDropped() throws Exception {
      String q = unique("dl-unrouted");
      ch.exchangeDeclare(q + ".dlx", "direct");
      ch.queueDeclare(q, false, false, false,
          Map.of("x-dead-letter-exchange", q + ".dlx", "x-dead-letter-routing-key", "nobody"));
      ch.basicPublish("", q, null, bytes("m"));
      awaitReady(ch, q, 1);
      ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
      assertThat(ch.basicGet(q, true)).isNull();
      assertThat(ch.isOpen()).isTrue();
    }
  }
}
