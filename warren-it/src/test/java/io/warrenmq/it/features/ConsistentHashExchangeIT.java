package io.warrenmq.it.features;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warrenmq.it.support.BrokerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The consistent-hash exchange (x-consistent-hash, RabbitMQ's rabbitmq_consistent_hash_exchange):
 * a binding's routing key is its weight; a message goes to exactly one queue, chosen by the hash of
 * its routing key (or the header named by hash-header, or the property named by hash-property);
 * the same key always reaches the same queue and the share of each queue follows the weights.
 */
class ConsistentHashExchangeIT {
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
    conn.abort();
  }

  String exchange(Map<String, Object> args) throws Exception {
    String x = unique("chx");
    ch.exchangeDeclare(x, "x-consistent-hash", false, false, args);
    return x;
  }

  /** Queues bound to {@code x} with the given weights, in binding order. */
  List<String> queues(String x, String... weights) throws Exception {
    List<String> qs = new ArrayList<>();
    for (String w : weights) {
      String q = unique("chx-q");
      ch.queueDeclare(q, false, false, false, null);
      ch.queueBind(q, x, w);
      qs.add(q);
    }
    return qs;
  }

  /** Which queue each message body ended up in (each body at most once), draining the queues. */
  Map<String, String> placement(List<String> qs) throws Exception {
    ch.waitForConfirmsOrDie(10_000);
    Map<String, String> where = new HashMap<>();
    for (String q : qs) {
      for (String body : drain(ch, q)) {
        assertThat(where.put(body, q)).as("%s delivered once", body).isNull();
      }
    }
    return where;
  }

  static Map<String, Integer> shares(Map<String, String> placement) {
    Map<String, Integer> n = new HashMap<>();
    placement.values().forEach(q -> n.merge(q, 1, Integer::sum));
    return n;
  }

  @Nested
  class RoutingKeys {
    @Test
    void everyMessageGoesToExactlyOneQueueAndTheSameKeyAlwaysToTheSameQueue() throws Exception {
      String x = exchange(Map.of());
      List<String> qs = queues(x, "1", "1", "1");
      for (int round = 0; round < 3; round++) {
        for (int k = 0; k < 200; k++) {
          ch.basicPublish(x, "key-" + k, null, bytes("key-" + k + "/" + round));
        }
      }
      Map<String, String> where = placement(qs);
      assertThat(where).hasSize(600);
      Map<String, Set<String>> queuesOfKey = new HashMap<>();
      where.forEach((body, q) -> queuesOfKey.computeIfAbsent(body.substring(0, body.indexOf('/')), k -> new HashSet<>())
          .add(q));
      assertThat(queuesOfKey).hasSize(200).allSatisfy((k, q) -> assertThat(q).as(k).hasSize(1));
      assertThat(shares(where)).as("every queue gets a share").hasSize(3);
    }

    @Test
    void eachQueuesShareFollowsItsWeight() throws Exception {
      String x = exchange(Map.of());
      List<String> qs = queues(x, "1", "2", "7");
      for (int k = 0; k < 4000; k++) {
        ch.basicPublish(x, Integer.toString(k), null, bytes(Integer.toString(k)));
      }
      Map<String, Integer> n = shares(placement(qs));
      System.out.println("consistent-hash shares for weights 1, 2, 7 of 4000 keys: "
          + qs.stream().map(q -> n.getOrDefault(q, 0)).toList());
      assertThat(n.getOrDefault(qs.get(0), 0)).isBetween(200, 600);
      assertThat(n.getOrDefault(qs.get(1), 0)).isBetween(500, 1100);
      assertThat(n.getOrDefault(qs.get(2), 0)).isBetween(2400, 3200);
    }

    @Test
    void onlyTheFirstBindingToAQueueCounts() throws Exception {
      String x = exchange(Map.of());
      List<String> qs = queues(x, "1", "1");
      ch.queueBind(qs.getFirst(), x, "50");
      for (int k = 0; k < 1000; k++) {
        ch.basicPublish(x, "k" + k, null, bytes("k" + k));
      }
      Map<String, Integer> n = shares(placement(qs));
      assertThat(n.get(qs.get(0))).isBetween(300, 700);
      assertThat(n.get(qs.get(1))).isBetween(300, 700);
    }

    @Test
    void unbindingTheLastBoundQueueMovesOnlyItsKeys() throws Exception {
      String x = exchange(Map.of());
      List<String> qs = queues(x, "1", "1", "1");
      for (int k = 0; k < 300; k++) {
        ch.basicPublish(x, "k" + k, null, bytes("k" + k));
      }
      Map<String, String> before = placement(qs);
      ch.queueUnbind(qs.get(2), x, "1");
      for (int k = 0; k < 300; k++) {
        ch.basicPublish(x, "k" + k, null, bytes("k" + k));
      }
      Map<String, String> after = placement(qs);
      before.forEach((key, q) -> {
        if (!q.equals(qs.get(2))) {
          assertThat(after.get(key)).as(key).isEqualTo(q);
        }
      });
      assertThat(after.values()).doesNotContain(qs.get(2));
    }

    @Test
    void onlyThePublishedRoutingKeyIsHashedNotTheCcKeys() throws Exception {
      String x = exchange(Map.of());
      List<String> qs = queues(x, "1", "1", "1", "1");
      ch.basicPublish(x, "k", null, bytes("plain"));
      String home = placement(qs).get("plain");
      List<Object> cc = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        cc.add("cc-" + i);
      }
      ch.basicPublish(x, "k", new AMQP.BasicProperties.Builder().headers(Map.of("CC", cc)).build(), bytes("with-cc"));
      assertThat(placement(qs)).containsExactly(Map.entry("with-cc", home));
    }

    @Test
    void withoutBindingsNothingIsRouted() throws Exception {
      String x = exchange(Map.of());
      List<Integer> returned = new ArrayList<>();
      ch.addReturnListener(r -> returned.add(r.getReplyCode()));
      ch.basicPublish(x, "k", true, null, bytes("m"));
      ch.waitForConfirmsOrDie(10_000);
      assertThat(returned).containsExactly(312);
    }
  }

  @Nested
  class HashOn {
    @Test
    void aHashHeaderChoosesTheQueueWhateverTheRoutingKey() throws Exception {
      String x = exchange(Map.of("hash-header", "customer"));
      List<String> qs = queues(x, "1", "1", "1");
      for (int c = 0; c < 100; c++) {
        for (int i = 0; i < 3; i++) {
          ch.basicPublish(x, "random-" + unique("rk"), new AMQP.BasicProperties.Builder()
              .headers(Map.of("customer", "c" + c)).build(), bytes("c" + c + "/" + i));
        }
      }
      assertSticky(placement(qs), 300);
    }

    @Test
    void aHashPropertyChoosesTheQueueWhateverTheRoutingKey() throws Exception {
      String x = exchange(Map.of("hash-property", "message_id"));
      List<String> qs = queues(x, "1", "1", "1");
      for (int c = 0; c < 100; c++) {
        for (int i = 0; i < 3; i++) {
          ch.basicPublish(x, "random-" + unique("rk"), new AMQP.BasicProperties.Builder().messageId("id" + c).build(),
              bytes("id" + c + "/" + i));
        }
      }
      assertSticky(placement(qs), 300);
    }

    void assertSticky(Map<String, String> where, int total) {
      assertThat(where).hasSize(total);
      Map<String, Set<String>> queuesOf = new HashMap<>();
      where.forEach((body, q) -> queuesOf.computeIfAbsent(body.substring(0, body.indexOf('/')), k -> new HashSet<>())
          .add(q));
      assertThat(queuesOf).allSatisfy((k, q) -> assertThat(q).as(k).hasSize(1));
      assertThat(shares(where)).as("the values spread over the queues").hasSize(3);
    }

    @Test
    void hashHeaderAndHashPropertyTogetherAreRefusedWith406() {
      String x = unique("chx");
      assertThat(channelCloseOf(() -> ch.exchangeDeclare(x, "x-consistent-hash", false, false,
          Map.of("hash-header", "h", "hash-property", "message_id"))))
          .isEqualTo("406 PRECONDITION_FAILED - hash-header and hash-property are mutually exclusive");
    }

    @Test
    void anUnsupportedHashPropertyIsRefusedWith406() {
      String x = unique("chx");
      assertThat(channelCloseOf(() -> ch.exchangeDeclare(x, "x-consistent-hash", false, false,
          Map.of("hash-property", "app_id"))))
          .isEqualTo("406 PRECONDITION_FAILED - Unsupported property: app_id");
    }
  }

  @Nested
  class Weights {
    String x;
    String q;

    @BeforeEach
    void declare() throws Exception {
      x = exchange(Map.of());
      q = unique("chx-q");
      ch.queueDeclare(q, false, false, false, null);
    }

    @Test
    void aWeightThatIsNotAnIntegerIsRefusedWith406() {
      assertThat(channelCloseOf(() -> ch.queueBind(q, x, "heavy")))
          .isEqualTo("406 PRECONDITION_FAILED - The binding key must be an integer: <<\"heavy\">>");
    }

    @Test
    void aWeightWithSpacesIsNotAnInteger() {
      assertThat(channelCloseOf(() -> ch.queueBind(q, x, " 5")))
          .isEqualTo("406 PRECONDITION_FAILED - The binding key must be an integer: <<\" 5\">>");
    }

    @Test
    void aWeightOfZeroIsRefusedWith406() {
      assertThat(channelCloseOf(() -> ch.queueBind(q, x, "0")))
          .isEqualTo("406 PRECONDITION_FAILED - The binding key must be greater than 0");
    }

    @Test
    void aWeightAboveTenThousandIsRefusedWith406() throws Exception {
      ch.queueBind(q, x, "10000");
      String other = unique("chx-q");
      ch.queueDeclare(other, false, false, false, null);
      assertThat(channelCloseOf(() -> ch.queueBind(other, x, "10001")))
          .isEqualTo("406 PRECONDITION_FAILED - The binding key must not exceed 10000");
    }

    @Test
    void aWeightBeyondAnyIntegerTypeIsTooLargeRatherThanNotAnInteger() {
      assertThat(channelCloseOf(() -> ch.queueBind(q, x, "99999999999999999999")))
          .isEqualTo("406 PRECONDITION_FAILED - The binding key must not exceed 10000");
    }
  }
}
