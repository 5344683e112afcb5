package io.warrenmq.it.features;

import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.Messaging;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delayed message exchange (x-delayed-message with x-delayed-type, as RabbitMQ's
 * rabbitmq_delayed_message_exchange plugin): a message with a positive x-delay header is held
 * and routed by the underlying type's bindings when its delay is over, with x-delay negated; others
 * route at once. WarrenMQ keeps held messages on disk: a durable exchange's persistent messages
 * survive a restart and still fire after their delay.
 */
class DelayedMessageExchangeIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    ch.confirmSelect();
  }

  @AfterEach
  void close() {
    if (conn != null) {
      conn.abort();
    }
  }

  String delayedExchange(String type, boolean durable) throws Exception {
    String x = unique("delayed");
    ch.exchangeDeclare(x, "x-delayed-message", durable, false, Map.of("x-delayed-type", type));
    return x;
  }

  String queueBoundTo(String x, String key, boolean durable) throws Exception {
    String q = unique("delayed-q");
    ch.queueDeclare(q, durable, false, false, null);
    ch.queueBind(q, x, key);
    return q;
  }

  static AMQP.BasicProperties delay(Object ms) {
    return new AMQP.BasicProperties.Builder().headers(Map.of("x-delay", ms)).build();
  }

  long ready(String q) {
    try {
      return ch.queueDeclarePassive(q).getMessageCount();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  @Nested
  class Delaying {
    @Test
    void aDelayedMessageIsHeldWhileOneWithoutXDelayRoutesAtOnceAndShorterDelaysComeFirst() throws Exception {
      String x = delayedExchange("direct", false);
      String q = queueBoundTo(x, "k", false);
      Recorder r = new Recorder(ch);
      ch.basicConsume(q, true, r);
      long start = System.nanoTime();
      ch.basicPublish(x, "k", delay(700), bytes("late"));
      ch.basicPublish(x, "k", delay(300), bytes("soon"));
      ch.basicPublish(x, "k", null, bytes("now"));
      ch.waitForConfirmsOrDie(10_000);
      assertThat(r.bodies(3)).containsExactly("now", "soon", "late");
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(700 - 5);
    }

    @Test
    void aRoutedDelayedMessageCarriesItsXDelayNegated() throws Exception {
      String x = delayedExchange("fanout", false);
      String q = queueBoundTo(x, "", false);
      ch.basicPublish(x, "", delay(100), bytes("m"));
      eventually("the delayed message arrives", () -> ready(q) == 1);
      GetResponse r = ch.basicGet(q, true);
      assertThat(r.getProps().getHeaders()).containsEntry("x-delay", -100);
    }

    @Test
    void aDelayGivenAsAStringIsParsedAsThePluginDoes() throws Exception {
      String x = delayedExchange("fanout", false);
      String q = queueBoundTo(x, "", false);
      ch.basicPublish(x, "", delay("1000"), bytes("m"));
      ch.waitForConfirmsOrDie(10_000);
      assertThat(ready(q)).isZero();
      eventually("the delayed message arrives", () -> ready(q) == 1);
    }

    @Test
    void aZeroOrNegativeDelayRoutesAtOnce() throws Exception {
      String x = delayedExchange("fanout", false);
      String q = queueBoundTo(x, "", false);
      ch.basicPublish(x, "", delay(0), bytes("zero"));
      ch.basicPublish(x, "", delay(-5000), bytes("negative"));
      ch.waitForConfirmsOrDie(10_000);
      assertThat(drain(ch, q)).containsExactly("zero", "negative");
    }

    @Test
    void theUnderlyingTopicTypeRoutesByItsBindingsWhenTheDelayIsOver() throws Exception {
      String x = delayedExchange("topic", false);
      String orders = queueBoundTo(x, "orders.*", false);
      String all = queueBoundTo(x, "#", false);
      ch.basicPublish(x, "payments.eu", delay(100), bytes("payment"));
      ch.basicPublish(x, "orders.eu", delay(300), bytes("order"));
      eventually("the later delayed message arrives", () -> ready(orders) == 1);
      // the earlier one was due first: had it matched orders.* it would be there by now
      assertThat(drain(ch, orders)).containsExactly("order");
      assertThat(drain(ch, all)).containsExactly("payment", "order");
    }

    @Test
    void aDelayedMessageReachesItsCcAndBccQueuesWhenDueWithoutTheBccHeader() throws Exception {
      String x = delayedExchange("direct", false);
      String main = queueBoundTo(x, "k1", false);
      String cc = queueBoundTo(x, "k2", false);
      String bcc = queueBoundTo(x, "k3", false);
      ch.basicPublish(x, "k1", new AMQP.BasicProperties.Builder().headers(Map.of("x-delay", 100,
          "CC", List.of("k2"), "BCC", List.of("k3"))).build(), bytes("m"));
      eventually("the delayed message reaches all three queues",
          () -> ready(main) == 1 && ready(cc) == 1 && ready(bcc) == 1);
      for (String q : List.of(main, cc, bcc)) {
        GetResponse r = ch.basicGet(q, true);
        assertThat(r.getProps().getHeaders()).as(q).containsKey("CC").doesNotContainKey("BCC");
      }
    }

    @Test
    void anUnboundDelayedMessageIsDroppedWhenDue() throws Exception {
      String x = delayedExchange("direct", false);
      String q = queueBoundTo(x, "k", false);
      ch.basicPublish(x, "nowhere", delay(100), bytes("lost"));
      ch.basicPublish(x, "k", delay(200), bytes("found"));
      eventually("the bound message arrives", () -> ready(q) == 1);
      assertThat(drain(ch, q)).containsExactly("found");
    }
  }

  @Nested
  class Declaring {
    @Test
    void withoutXDelayedTypeTheDeclareIsRefusedWith406() {
      assertThat(channelCloseOf(() -> ch.exchangeDeclare(unique("delayed"), "x-delayed-message")))
          .isEqualTo("406 PRECONDITION_FAILED - Invalid argument, 'x-delayed-type' must be an existing exchange type");
    }

    @Test
    void anUnknownXDelayedTypeClosesTheChannelWith406AsRabbitMq3137ChecksTheType() {
      assertThat(channelCloseOf(() -> ch.exchangeDeclare(unique("delayed"), "x-delayed-message", false, false,
          Map.of("x-delayed-type", "nonsense"))))
          .isEqualTo("406 PRECONDITION_FAILED - unknown exchange type 'nonsense'");
    }
  }

  @Nested
  class Restart {
    @Test
    void aPersistentMessageHeldByADurableExchangeFiresAfterItsDelayAcrossARestart() throws Exception {
      String x = delayedExchange("direct", true);
      String q = queueBoundTo(x, "k", true);
      long due = System.currentTimeMillis() + 2_000;
      ch.basicPublish(x, "k", new AMQP.BasicProperties.Builder().deliveryMode(2).headers(Map.of("x-delay", 2_000))
          .build(), bytes("survivor"));
      ch.waitForConfirmsOrDie(10_000);
      conn.close();
      broker.restart();
      conn = broker.factory().newConnection();
      ch = conn.createChannel();
      Recorder r = new Recorder(ch);
      ch.basicConsume(q, true, r);
      Delivery d = r.take(1).getFirst();
      long arrived = System.currentTimeMillis();
      assertThat(text(d.getBody())).isEqualTo("survivor");
      assertThat(arrived).isGreaterThanOrEqualTo(due - 5);
      assertThat(d.getProperties().getHeaders()).containsEntry("x-delay", -2_000);
    }
  }

  @Nested
  class Lateness {
    @Test
    void twoHundredDelayedMessagesArriveAfterTheirDueTimeAndTheLatenessIsReported() throws Exception {
      String x = delayedExchange("fanout", false);
      String q = queueBoundTo(x, "", false);
      LinkedBlockingQueue<long[]> arrivals = new LinkedBlockingQueue<>(); // {message index, arrival ms}
      ch.basicConsume(q, true, (tag, d) -> arrivals.add(new long[] {
          Long.parseLong(d.getProperties().getMessageId()), System.currentTimeMillis()}), tag -> { });
      Random random = new Random(42);
      int n = 200;
      long[] due = new long[n];
      for (int i = 0; i < n; i++) {
        int delay = 100 + random.nextInt(1_400);
        due[i] = System.currentTimeMillis() + delay;
        ch.basicPublish(x, "", new AMQP.BasicProperties.Builder().messageId(Integer.toString(i))
            .headers(Map.of("x-delay", delay)).build(), bytes("m" + i));
        // one at a time, so that the broker's clock starts the delay when ours did (give or take
        // a round trip) and the lateness measured is the exchange's, not the publish backlog's
        ch.waitForConfirmsOrDie(10_000);
      }
      List<Long> lateness = new ArrayList<>();
      for (long[] a : Messaging.take(arrivals, n)) {
        lateness.add(a[1] - due[(int) a[0]]);
      }
      Collections.sort(lateness);
      long median = lateness.get(n / 2);
      long p99 = lateness.get((int) Math.ceil(n * 0.99) - 1);
      System.out.printf("delayed exchange lateness of %d messages (ms): min %d, median %d, p99 %d, max %d%n", n,
          lateness.getFirst(), median, p99, lateness.getLast());
      assertThat(lateness.getFirst()).as("never before its due time").isGreaterThanOrEqualTo(-5);
      assertThat(p99).as("p99 lateness, a generous sanity bound").isLessThan(Duration.ofSeconds(2).toMillis());
    }
  }
}
