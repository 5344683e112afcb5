package io.warrenmq.it.features;

import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Message deduplication with the arguments and headers of the rabbitmq-message-deduplication
 * plugin. Queue level (x-message-deduplication on the queue): a message whose
 * x-deduplication-header id belongs to a message still in the queue (ready or unacked) is dropped.
 * Exchange level (the x-message-deduplication exchange type, or WarrenMQ's x-message-deduplication
 * argument on any exchange, with x-cache-size and x-cache-ttl): an id seen within the window is
 * not routed. WarrenMQ's lead: both survive a restart (the plugin forgets queue ids at a restart).
 */
class DeduplicationIT {
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

  static AMQP.BasicProperties id(String id) {
    return new AMQP.BasicProperties.Builder().headers(Map.of("x-deduplication-header", id)).build();
  }

  static AMQP.BasicProperties persistentId(String id) {
    return new AMQP.BasicProperties.Builder().deliveryMode(2).headers(Map.of("x-deduplication-header", id)).build();
  }

  long ready(String q) {
    try {
      return ch.queueDeclarePassive(q).getMessageCount();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  void confirmed() throws Exception {
    assertThat(ch.waitForConfirms(10_000)).as("every publish confirmed, duplicates too").isTrue();
  }

  @Nested
  class QueueLevel {
    String q;

    @BeforeEach
    void declare() throws Exception {
      q = unique("dedup-q");
      ch.queueDeclare(q, false, false, false, Map.of("x-message-deduplication", true));
    }

    @Test
    void aDuplicateOfAMessageStillInTheQueueIsDropped() throws Exception {
      ch.basicPublish("", q, id("a"), bytes("a1"));
      ch.basicPublish("", q, id("a"), bytes("a2"));
      ch.basicPublish("", q, id("b"), bytes("b1"));
      ch.basicPublish("", q, null, bytes("plain1"));
      ch.basicPublish("", q, null, bytes("plain2"));
      confirmed();
      assertThat(drain(ch, q)).containsExactly("a1", "b1", "plain1", "plain2");
    }

    @Test
    void anIdIsTakenWhileItsMessageIsUnackedAndFreeOnceAcknowledged() throws Exception {
      ch.basicPublish("", q, id("a"), bytes("first"));
      GetResponse held = ch.basicGet(q, false);
      ch.basicPublish("", q, id("a"), bytes("while-unacked"));
      confirmed();
      assertThat(ready(q)).isZero();
      ch.basicAck(held.getEnvelope().getDeliveryTag(), false);
      ch.basicPublish("", q, id("a"), bytes("after-ack"));
      confirmed();
      assertThat(drain(ch, q)).containsExactly("after-ack");
    }

    @Test
    void aRequeuedMessageKeepsItsIdAndARejectedOneFreesIt() throws Exception {
      ch.basicPublish("", q, id("a"), bytes("a1"));
      GetResponse a = ch.basicGet(q, false);
      ch.basicNack(a.getEnvelope().getDeliveryTag(), false, true);
      ch.basicPublish("", q, id("a"), bytes("a2"));
      confirmed();
      assertThat(ready(q)).isEqualTo(1);
      GetResponse again = ch.basicGet(q, false);
      ch.basicReject(again.getEnvelope().getDeliveryTag(), false);
      ch.basicPublish("", q, id("a"), bytes("a3"));
      confirmed();
      assertThat(drain(ch, q)).containsExactly("a3");
    }

    @Test
    void aPurgeFreesEveryId() throws Exception {
      ch.basicPublish("", q, id("a"), bytes("a1"));
      confirmed();
      ch.queuePurge(q);
      ch.basicPublish("", q, id("a"), bytes("a2"));
      confirmed();
      assertThat(drain(ch, q)).containsExactly("a2");
    }

    @Test
    void aQueueWithoutTheArgumentKeepsDuplicates() throws Exception {
      String plain = unique("dedup-plain");
      ch.queueDeclare(plain, false, false, false, null);
      ch.basicPublish("", plain, id("a"), bytes("a1"));
      ch.basicPublish("", plain, id("a"), bytes("a2"));
      confirmed();
      assertThat(drain(ch, plain)).containsExactly("a1", "a2");
    }

    @Test
    void thePluginsPolicyKeyTurnsDeduplicationOnForAnExistingQueue() throws Exception {
      String other = unique("dedup-policy");
      ch.queueDeclare(other, false, false, false, null);
      Ctl.ok(broker, "set_policy", "--apply-to", "queues", unique("dedup"), "^" + other + "$",
          "{\"x-message-deduplication\": true}");
      ch.basicPublish("", other, id("a"), bytes("a1"));
      ch.basicPublish("", other, id("a"), bytes("a2"));
      confirmed();
      assertThat(drain(ch, other)).containsExactly("a1");
    }

    @Test
    void theIdsOfADurableQueueSurviveARestart() throws Exception {
      String durable = unique("dedup-durable");
      ch.queueDeclare(durable, true, false, false, Map.of("x-message-deduplication", true));
      ch.basicPublish("", durable, persistentId("a"), bytes("before"));
      confirmed();
      conn.close();
      broker.restart();
      conn = broker.factory().newConnection();
      ch = conn.createChannel();
      ch.confirmSelect();
      ch.basicPublish("", durable, persistentId("a"), bytes("after"));
      ch.basicPublish("", durable, persistentId("b"), bytes("new"));
      confirmed();
      assertThat(drain(ch, durable)).containsExactly("before", "new");
    }
  }

  @Nested
  class ExchangeLevel {
    String q;

    String queueBoundTo(String x, String key) throws Exception {
      String queue = unique("dedup-xq");
      ch.queueDeclare(queue, false, false, false, null);
      ch.queueBind(queue, x, key);
      return queue;
    }

    String pluginExchange(Map<String, Object> args, boolean durable) throws Exception {
      String x = unique("dedup-x");
      ch.exchangeDeclare(x, "x-message-deduplication", durable, false, args);
      return x;
    }

    @Test
    void thePluginsExchangeTypeRoutesLikeFanoutAndDropsDuplicates() throws Exception {
      String x = pluginExchange(Map.of("x-cache-size", 100), false);
      String q1 = queueBoundTo(x, "any");
      String q2 = queueBoundTo(x, "other");
      ch.basicPublish(x, "whatever", id("a"), bytes("a1"));
      ch.basicPublish(x, "whatever", id("a"), bytes("a2"));
      ch.basicPublish(x, "", null, bytes("plain"));
      ch.basicPublish(x, "", null, bytes("plain"));
      confirmed();
      assertThat(drain(ch, q1)).containsExactly("a1", "plain", "plain");
      assertThat(drain(ch, q2)).containsExactly("a1", "plain", "plain");
    }

    @Test
    void theIdIsRememberedAfterItsMessageIsConsumed() throws Exception {
      String x = pluginExchange(Map.of("x-cache-size", 100), false);
      String queue = queueBoundTo(x, "");
      ch.basicPublish(x, "", id("a"), bytes("a1"));
      confirmed();
      assertThat(drain(ch, queue)).containsExactly("a1");
      ch.basicPublish(x, "", id("a"), bytes("a2"));
      confirmed();
      assertThat(ready(queue)).isZero();
    }

    @Test
    void theArgumentOnADirectExchangeDropsDuplicatesBeforeRouting() throws Exception {
      String x = unique("dedup-direct");
      ch.exchangeDeclare(x, "direct", false, false, Map.of("x-message-deduplication", true, "x-cache-size", 10));
      String k1 = queueBoundTo(x, "k1");
      String k2 = queueBoundTo(x, "k2");
      ch.basicPublish(x, "k1", id("a"), bytes("a1"));
      ch.basicPublish(x, "k2", id("a"), bytes("a2"));
      ch.basicPublish(x, "k2", id("b"), bytes("b1"));
      confirmed();
      assertThat(drain(ch, k1)).containsExactly("a1");
      assertThat(drain(ch, k2)).containsExactly("b1");
    }

    @Test
    void aMandatoryDuplicateIsReturnedAsUnroutable() throws Exception {
      String x = pluginExchange(Map.of("x-cache-size", 100), false);
      queueBoundTo(x, "");
      List<Integer> returned = new CopyOnWriteArrayList<>();
      ch.addReturnListener(r -> returned.add(r.getReplyCode()));
      ch.basicPublish(x, "", true, id("a"), bytes("a1"));
      ch.basicPublish(x, "", true, id("a"), bytes("a2"));
      confirmed();
      assertThat(returned).containsExactly(312);
    }

    @Test
    void anIdRoutesAgainAfterTheCacheTtl() throws Exception {
      String x = pluginExchange(Map.of("x-cache-size", 100, "x-cache-ttl", 300), false);
      String queue = queueBoundTo(x, "");
      long start = System.nanoTime();
      ch.basicPublish(x, "", id("a"), bytes("a"));
      confirmed();
      eventually(Duration.ofSeconds(10), "the id routes again", () -> {
        try {
          ch.basicPublish(x, "", id("a"), bytes("a"));
          confirmed();
          return ready(queue) == 2;
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300 - 5);
    }

    @Test
    void aMessagesOwnCacheTtlHeaderOverridesTheExchanges() throws Exception {
      String x = pluginExchange(Map.of("x-cache-size", 100, "x-cache-ttl", 600_000), false);
      String queue = queueBoundTo(x, "");
      Map<String, Object> h = new HashMap<>(Map.of("x-deduplication-header", "a", "x-cache-ttl", 100));
      ch.basicPublish(x, "", new AMQP.BasicProperties.Builder().headers(h).build(), bytes("a"));
      confirmed();
      eventually(Duration.ofSeconds(10), "the id routes again", () -> {
        try {
          ch.basicPublish(x, "", id("a"), bytes("a"));
          confirmed();
          return ready(queue) == 2;
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
    }

    @Test
    void theCacheSizeBoundsTheIdsRememberedOldestFirst() throws Exception {
      String x = pluginExchange(Map.of("x-cache-size", 2), false);
      String queue = queueBoundTo(x, "");
      for (String i : List.of("a", "b", "c", "a", "c")) {
        ch.basicPublish(x, "", id(i), bytes(i));
      }
      confirmed();
      assertThat(drain(ch, queue)).containsExactly("a", "b", "c", "a");
    }

    @Test
    void thePluginsExchangeTypeWithoutACacheSizeIsRefusedWith406() {
      assertThat(channelCloseOf(() -> ch.exchangeDeclare(unique("dedup-x"), "x-message-deduplication")))
          .startsWith("406 PRECONDITION_FAILED - Missing or invalid argument, ")
          .endsWith("'x-cache-size' must be an integer greater than 0");
    }

    @Test
    void theWindowOfADurableExchangeSurvivesARestart() throws Exception {
      String x = pluginExchange(Map.of("x-cache-size", 100), true);
      String queue = unique("dedup-xq");
      ch.queueDeclare(queue, true, false, false, null);
      ch.queueBind(queue, x, "");
      ch.basicPublish(x, "", persistentId("a"), bytes("before"));
      confirmed();
      conn.close();
      broker.restart();
      conn = broker.factory().newConnection();
      ch = conn.createChannel();
      ch.confirmSelect();
      ch.basicPublish(x, "", persistentId("a"), bytes("after"));
      ch.basicPublish(x, "", persistentId("b"), bytes("new"));
      confirmed();
      assertThat(drain(ch, queue)).containsExactly("before", "new");
    }
  }
}
