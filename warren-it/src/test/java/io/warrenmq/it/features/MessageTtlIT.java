package io.warrenmq.it.features;

import static io.warrenmq.it.features.Fixtures.awaitGet;
import static io.warrenmq.it.features.Fixtures.awaitReady;
import static io.warrenmq.it.features.Fixtures.queueWithDlx;
import static io.warrenmq.it.features.Fixtures.expiring;
import static io.warrenmq.it.features.Fixtures.ready;
import static io.warrenmq.it.features.Fixtures.setOperatorPolicy;
import static io.warrenmq.it.features.Fixtures.setPolicy;
import static io.warrenmq.it.features.Fixtures.xDeath;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.take;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.it.features.Fixtures.Dlx;
import io.warrenmq.it.support.BrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Message TTL as RabbitMQ has it (docs "Time-To-Live and Expiration", rabbit_amqqueue_process):
 * per queue, per message, by policy with the lower value winning, TTL 0, expired messages never
 * delivered, requeued messages keeping their deadline. Time passing is observed through a
 * "canary": a message in another queue whose own expiry dead-letters it, never a sleep.
 */
class MessageTtlIT {
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

  /** Returns once at least {@code ms} have passed on the broker's clock (a message with that TTL expired). */
  private void brokerTimePasses(int ms) throws Exception {
    String canary = unique("canary");
    Dlx dlx = queueWithDlx(ch, canary, Map.of("x-message-ttl", ms));
    ch.basicPublish("", canary, null, bytes("tick"));
    awaitGet(ch, dlx.queue());
  }

  @Nested
  class PerQueue {
    @Test
    void messagesWaitingLongerThanXMessageTtlAreDeadLetteredInOrder() throws Exception {
      String q = unique("ttl-q");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-message-ttl", 30));
      for (String m : List.of("a", "b", "c")) {
        ch.basicPublish("", q, null, bytes(m));
      }
      awaitReady(ch, dlx.queue(), 3);
      assertThat(drain(ch, dlx.queue())).containsExactly("a", "b", "c");
      assertThat(ch.basicGet(q, true)).isNull();
    }

    @Test
    void aMessageYoungerThanTheTtlIsDelivered() throws Exception {
      String q = unique("ttl-young");
      ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 60_000));
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(text(awaitGet(ch, q).getBody())).isEqualTo("m");
    }

    @Test
    void aMessageThatExpiresLaterThanTheFirstStillExpires() throws Exception {
      String q = unique("ttl-second");
      Dlx dlx = queueWithDlx(ch, q, Map.of());
      ch.basicPublish("", q, expiring("10"), bytes("soon"));
      ch.basicPublish("", q, expiring("150"), bytes("later"));
      awaitReady(ch, dlx.queue(), 2);
      assertThat(drain(ch, dlx.queue())).containsExactly("soon", "later");
      assertThat(ready(ch, q)).isZero();
    }

    @Test
    void anInvalidXMessageTtlIsRefusedWithRabbitMqsTerm() throws Exception {
      String q = unique("ttl-invalid");
      assertThat(channelCloseOf(() -> ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", -1))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-message-ttl' for queue '" + q
              + "' in vhost '/': {value_negative,-1}");
      Channel c2 = conn.createChannel();
      assertThat(channelCloseOf(() -> c2.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 315_360_000_001L))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-message-ttl' for queue '" + q
              + "' in vhost '/': {value_too_large,315360000001}");
      Channel c3 = conn.createChannel();
      c3.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 5_000_000_000L));
    }
  }

  @Nested
  class PerMessage {
    @Test
    void theExpirationPropertyExpiresTheMessage() throws Exception {
      String q = unique("exp");
      Dlx dlx = queueWithDlx(ch, q, Map.of());
      ch.basicPublish("", q, expiring("20"), bytes("m"));
      GetResponse dead = awaitGet(ch, dlx.queue());
      assertThat(text(dead.getBody())).isEqualTo("m");
      assertThat(ch.basicGet(q, true)).isNull();
    }

    @Test
    void aShorterExpirationThanTheQueueTtlWins() throws Exception {
      String q = unique("exp-shorter");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-message-ttl", 60_000));
      ch.basicPublish("", q, expiring("20"), bytes("m"));
      assertThat(xDeath(awaitGet(ch, dlx.queue()).getProps()).getFirst().get("original-expiration").toString())
          .isEqualTo("20");
    }

    @Test
    void aShorterQueueTtlThanTheExpirationWins() throws Exception {
      String q = unique("exp-longer");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-message-ttl", 20));
      ch.basicPublish("", q, expiring("60000"), bytes("m"));
      GetResponse dead = awaitGet(ch, dlx.queue());
      assertThat(xDeath(dead.getProps()).getFirst().get("reason").toString()).isEqualTo("expired");
      assertThat(xDeath(dead.getProps()).getFirst().get("original-expiration").toString()).isEqualTo("60000");
    }

    @Test
    void anExpirationThatIsNotAMillisecondCountClosesTheChannelWithRabbitMqsTerm() throws Exception {
      String q = unique("exp-invalid");
      ch.queueDeclare(q, false, false, false, null);
      Map<String, String> expected = Map.of(
          "abc", "no_integer",
          "", "no_integer",
          " 5", "no_integer",
          "-1", "{value_negative,-1}",
          "1.5", "{leftover_string,\".5\"}",
          "315360000001", "{value_too_large,315360000001}");
      for (Map.Entry<String, String> e : expected.entrySet()) {
        Channel c = conn.createChannel();
        String close = channelCloseOf(() -> {
          c.basicPublish("", q, expiring(e.getKey()), bytes("m"));
          c.queueDeclarePassive(q);
        });
        assertThat(close).isEqualTo("406 PRECONDITION_FAILED - invalid expiration '" + e.getKey() + "': " + e.getValue());
      }
      Channel c = conn.createChannel();
      c.basicPublish("", q, expiring("315360000000"), bytes("ten years"));
      awaitReady(c, q, 1);
    }
  }

  @Nested
  class ByPolicy {
    @Test
    void aMessageTtlPolicyAppliesToAQueueWithoutTheArgument() throws Exception {
      String q = unique("pttl-only");
      Dlx dlx = queueWithDlx(ch, q, Map.of());
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("message-ttl", 20L));
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(xDeath(awaitGet(ch, dlx.queue()).getProps()).getFirst().get("reason").toString()).isEqualTo("expired");
    }

    @Test
    void aLowerPolicyTtlWinsOverTheArgument() throws Exception {
      String q = unique("pttl-lower");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-message-ttl", 60_000));
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("message-ttl", 20L));
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("m");
    }

    @Test
    void aLowerArgumentWinsOverThePolicy() throws Exception {
      String q = unique("pttl-arg");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-message-ttl", 20));
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("message-ttl", 60_000L));
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("m");
    }

    @Test
    void anOperatorPolicyMergesWithThePolicyByTheLowerValue() throws Exception {
      String low = unique("pttl-op-low");
      Dlx lowDlx = queueWithDlx(ch, low, Map.of());
      setPolicy(broker, low, "^" + low + "$", Policy.ApplyTo.QUEUES, 0, Map.of("message-ttl", 60_000L));
      setOperatorPolicy(broker, low + "-op", "^" + low + "$", Map.of("message-ttl", 20L));
      String high = unique("pttl-op-high");
      Dlx highDlx = queueWithDlx(ch, high, Map.of());
      setPolicy(broker, high, "^" + high + "$", Policy.ApplyTo.QUEUES, 0, Map.of("message-ttl", 20L));
      setOperatorPolicy(broker, high + "-op", "^" + high + "$", Map.of("message-ttl", 60_000L));
      ch.basicPublish("", low, null, bytes("operator lower"));
      ch.basicPublish("", high, null, bytes("policy lower"));
      assertThat(text(awaitGet(ch, lowDlx.queue()).getBody())).isEqualTo("operator lower");
      assertThat(text(awaitGet(ch, highDlx.queue()).getBody())).isEqualTo("policy lower");
    }

    @Test
    void anOperatorPolicyLowerThanTheArgumentWins() throws Exception {
      String q = unique("pttl-op-arg");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-message-ttl", 60_000));
      setOperatorPolicy(broker, q + "-op", "^" + q + "$", Map.of("message-ttl", 20L));
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("m");
    }

    @Test
    void aHigherPolicyTtlDoesNotShortenNorLengthenTheArgument() throws Exception {
      String q = unique("pttl-keep");
      ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 60_000));
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("message-ttl", 120_000L));
      ch.basicPublish("", q, null, bytes("m"));
      brokerTimePasses(100);
      assertThat(ready(ch, q)).isEqualTo(1);
    }
  }

  @Nested
  class TtlZero {
    @Test
    void withAConsumerReadyTheMessageIsDelivered() throws Exception {
      String q = unique("ttl0-consumer");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-message-ttl", 0));
      BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      Channel consumer = conn.createChannel();
      consumer.basicConsume(q, true, (tag, d) -> got.add(d), tag -> { });
      ch.basicPublish("", q, null, bytes("now or never"));
      assertThat(text(take(got, 1).getFirst().getBody())).isEqualTo("now or never");
      assertThat(ready(ch, dlx.queue())).isZero();
    }

    @Test
    void withoutAConsumerTheMessageExpiresAtOnce() throws Exception {
      String q = unique("ttl0-none");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-message-ttl", 0));
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(ch.basicGet(q, true)).isNull();
      GetResponse dead = awaitGet(ch, dlx.queue());
      assertThat(xDeath(dead.getProps()).getFirst().get("reason").toString()).isEqualTo("expired");
    }

    @Test
    void anExpirationOfZeroBehavesTheSame() throws Exception {
      String q = unique("exp0");
      Dlx dlx = queueWithDlx(ch, q, Map.of());
      ch.basicPublish("", q, expiring("0"), bytes("m"));
      assertThat(ch.basicGet(q, true)).isNull();
      assertThat(xDeath(awaitGet(ch, dlx.queue()).getProps()).getFirst().get("original-expiration").toString())
          .isEqualTo("0");
    }

    @Test
    void aConsumerWithoutPrefetchCreditDoesNotSaveTheMessage() throws Exception {
      String q = unique("ttl0-full");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-message-ttl", 0));
      BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      Channel consumer = conn.createChannel();
      consumer.basicQos(1);
      consumer.basicConsume(q, false, (tag, d) -> got.add(d), tag -> { });
      ch.basicPublish("", q, null, bytes("first"));
      assertThat(text(take(got, 1).getFirst().getBody())).isEqualTo("first");
      ch.basicPublish("", q, null, bytes("second"));
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("second");
      assertThat(got).isEmpty();
    }
  }

  @Nested
  class NeverDelivered {
    @Test
    void basicGetAfterTheDeadlineFindsNothing() throws Exception {
      String q = unique("never-get");
      ch.queueDeclare(q, false, false, false, null);
      ch.basicPublish("", q, expiring("30"), bytes("m"));
      brokerTimePasses(60);
      assertThat(ch.basicGet(q, true)).isNull();
      assertThat(ready(ch, q)).isZero();
    }

    @Test
    void aConsumerArrivingAfterTheDeadlineGetsOnlyLiveMessages() throws Exception {
      String q = unique("never-consume");
      ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 30));
      ch.basicPublish("", q, null, bytes("stale"));
      brokerTimePasses(60);
      BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      Channel consumer = conn.createChannel();
      consumer.basicConsume(q, true, (tag, d) -> got.add(d), tag -> { });
      ch.basicPublish("", q, null, bytes("fresh"));
      assertThat(text(take(got, 1).getFirst().getBody())).isEqualTo("fresh");
    }
  }

  @Nested
  class Requeue {
    @Test
    void aMessageRequeuedAfterItsDeadlineIsDeadLetteredAtOnce() throws Exception {
      String q = unique("rq-late");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-message-ttl", 100));
      ch.basicPublish("", q, null, bytes("held"));
      awaitReady(ch, q, 1);
      GetResponse held = ch.basicGet(q, false);
      brokerTimePasses(150);
      assertThat(ready(ch, dlx.queue())).isZero();
      ch.basicNack(held.getEnvelope().getDeliveryTag(), false, true);
      // rabbit_amqqueue_process requeue_and_run: drop_expired_msgs right after the requeue
      awaitReady(ch, dlx.queue(), 1);
      assertThat(ready(ch, q)).isZero();
      assertThat(xDeath(ch.basicGet(dlx.queue(), true).getProps()).getFirst().get("reason").toString())
          .isEqualTo("expired");
    }

    @Test
    void aMessageRequeuedBeforeItsDeadlineIsRedeliveredAndStillExpiresAtTheOriginalDeadline() throws Exception {
      String q = unique("rq-early");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-message-ttl", 250));
      // published after the message with a longer TTL, before the requeue: expires after the original deadline
      String canary = q + "-canary";
      ch.queueDeclare(canary, false, false, false, Map.of("x-message-ttl", 300, "x-dead-letter-exchange", dlx.exchange()));
      ch.basicPublish("", q, null, bytes("requeued"));
      awaitReady(ch, q, 1);
      GetResponse first = ch.basicGet(q, false);
      ch.basicPublish("", canary, null, bytes("canary"));
      brokerTimePasses(60);
      ch.basicReject(first.getEnvelope().getDeliveryTag(), true);
      GetResponse again = ch.basicGet(q, false);
      assertThat(again.getEnvelope().isRedeliver()).isTrue();
      ch.basicReject(again.getEnvelope().getDeliveryTag(), true);
      awaitReady(ch, dlx.queue(), 2);
      assertThat(drain(ch, dlx.queue())).containsExactly("requeued", "canary");
    }

    @Test
    void aMessageWhoseDeadlinePassesDuringItsRetryBackOffExpiresWhenReleased() throws Exception {
      // WarrenMQ's x-retry-delay holds nacked messages back; a deadline keeps running meanwhile
      String q = unique("rq-retry");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-retry-delay", 200));
      ch.basicPublish("", q, expiring("60000"), bytes("long"));
      ch.basicPublish("", q, expiring("100"), bytes("short"));
      awaitReady(ch, q, 2);
      ch.basicGet(q, false);
      GetResponse second = ch.basicGet(q, false);
      ch.basicNack(second.getEnvelope().getDeliveryTag(), true, true);
      GetResponse dead = awaitGet(ch, dlx.queue());
      assertThat(text(dead.getBody())).isEqualTo("short");
      assertThat(xDeath(dead.getProps()).getFirst().get("reason").toString()).isEqualTo("expired");
      awaitReady(ch, q, 1);
      assertThat(drain(ch, q)).containsExactly("long");
    }

    @Test
    void aRequeuedPerMessageTtlExpiresEvenBehindAMessageWithoutOne() throws Exception {
      String q = unique("rq-behind");
      Dlx dlx = queueWithDlx(ch, q, Map.of());
      ch.basicPublish("", q, null, bytes("forever"));
      ch.basicPublish("", q, expiring("100"), bytes("short"));
      awaitReady(ch, q, 2);
      GetResponse first = ch.basicGet(q, false);
      GetResponse second = ch.basicGet(q, false);
      ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
      brokerTimePasses(150);
      ch.basicNack(second.getEnvelope().getDeliveryTag(), false, true);
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("short");
      assertThat(drain(ch, q)).containsExactly("forever");
    }
  }
}
