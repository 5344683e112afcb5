package io.warrenmq.it.features;

import static io.warrenmq.it.features.Fixtures.awaitGet;
import static io.warrenmq.it.features.Fixtures.awaitReady;
import static io.warrenmq.it.features.Fixtures.ready;
import static io.warrenmq.it.features.Fixtures.routingKeys;
import static io.warrenmq.it.features.Fixtures.xDeath;
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
 * Sender-selected distribution (RabbitMQ's CC and BCC headers): the keys of both headers route the
 * message as extra routing keys through the same exchange; a queue matched several times gets one
 * copy; the CC header is delivered, the BCC header never is; a CC or BCC header that is not an
 * array is refused (rabbit_basic header_routes). A dead letter routed by its own keys uses CC and
 * BCC keys again, and keeps its CC header (RabbitMQ 3.13 rabbit_dead_letter, dead_lettering_SUITE).
 */
class SenderSelectedDistributionIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;
  String x;
  String q1;
  String q2;
  String q3;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    x = unique("ssd");
    ch.exchangeDeclare(x, "direct");
    q1 = queueBoundTo(x, "k1");
    q2 = queueBoundTo(x, "k2");
    q3 = queueBoundTo(x, "k3");
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  String queueBoundTo(String exchange, String key) throws Exception {
    String q = unique("ssd-q");
    ch.queueDeclare(q, false, false, false, null);
    ch.queueBind(q, exchange, key);
    return q;
  }

  static AMQP.BasicProperties headers(Map<String, Object> h) {
    return new AMQP.BasicProperties.Builder().headers(h).build();
  }

  @Test
  void ccKeysRouteToTheirQueuesAndTheCcHeaderIsDelivered() throws Exception {
    ch.basicPublish(x, "k1", headers(Map.of("CC", List.of("k2"), "other", "kept")), bytes("m"));
    GetResponse r1 = ch.basicGet(q1, true);
    GetResponse r2 = ch.basicGet(q2, true);
    assertThat(r1).isNotNull();
    assertThat(r2).isNotNull();
    assertThat(ch.basicGet(q3, true)).isNull();
    assertThat(r2.getEnvelope().getRoutingKey()).isEqualTo("k1");
    for (GetResponse r : List.of(r1, r2)) {
      assertThat((List<?>) r.getProps().getHeaders().get("CC")).extracting(Object::toString).containsExactly("k2");
      assertThat(r.getProps().getHeaders().get("other").toString()).isEqualTo("kept");
    }
  }

  @Test
  void bccKeysRouteToTheirQueuesAndTheBccHeaderIsRemovedBeforeDelivery() throws Exception {
    ch.basicPublish(x, "k1", headers(Map.of("CC", List.of("k2"), "BCC", List.of("k3"))), bytes("m"));
    for (String q : List.of(q1, q2, q3)) {
      GetResponse r = ch.basicGet(q, true);
      assertThat(r).as("a copy in %s", q).isNotNull();
      assertThat(r.getProps().getHeaders()).as("headers in %s", q).doesNotContainKey("BCC").containsKey("CC");
    }
  }

  @Test
  void aBccOnlyHeaderLeavesNoHeaderBehindForAConsumer() throws Exception {
    Recorder r = new Recorder(ch);
    ch.basicConsume(q3, true, r);
    ch.basicPublish(x, "k1", headers(Map.of("BCC", List.of("k3"))), bytes("secret"));
    AMQP.BasicProperties props = r.take(1).getFirst().getProperties();
    assertThat(props.getHeaders() == null ? Map.of() : props.getHeaders()).doesNotContainKey("BCC");
    assertThat(drain(ch, q1)).containsExactly("secret");
  }

  @Test
  void aQueueMatchedByTheRoutingKeyAndByCcAndBccKeysGetsOneCopy() throws Exception {
    ch.queueBind(q1, x, "k1-alias");
    ch.basicPublish(x, "k1", headers(Map.of("CC", List.of("k1", "k1-alias"), "BCC", List.of("k1"))), bytes("once"));
    assertThat(drain(ch, q1)).containsExactly("once");
  }

  @Test
  void ccAndBccNameQueuesThroughTheDefaultExchange() throws Exception {
    ch.basicPublish("", q1, headers(Map.of("CC", List.of(q2), "BCC", List.of(q3))), bytes("m"));
    assertThat(drain(ch, q1)).containsExactly("m");
    assertThat(drain(ch, q2)).containsExactly("m");
    assertThat(drain(ch, q3)).containsExactly("m");
  }

  @Test
  void ccKeysAreMatchedAgainstTopicPatterns() throws Exception {
    String topic = unique("ssd-topic");
    ch.exchangeDeclare(topic, "topic");
    String logs = queueBoundTo(topic, "logs.#");
    String audit = queueBoundTo(topic, "*.audit");
    ch.basicPublish(topic, "logs.app", headers(Map.of("CC", List.of("eu.audit"))), bytes("m"));
    assertThat(drain(ch, logs)).containsExactly("m");
    assertThat(drain(ch, audit)).containsExactly("m");
  }

  @Test
  void aMandatoryMessageRoutedOnlyByABccKeyIsNotReturned() throws Exception {
    List<String> returned = new CopyOnWriteArrayList<>();
    ch.addReturnListener(r -> returned.add(r.getRoutingKey()));
    ch.confirmSelect();
    ch.basicPublish(x, "nowhere", true, headers(Map.of("BCC", List.of("k2"))), bytes("m"));
    ch.basicPublish(x, "nowhere", true, null, bytes("lost"));
    ch.waitForConfirmsOrDie(10_000);
    assertThat(returned).containsExactly("nowhere");
    assertThat(drain(ch, q2)).containsExactly("m");
  }

  @Test
  void aCcHeaderThatIsNotAnArrayClosesTheChannelWith406AndRoutesNothing() throws Exception {
    assertThat(channelCloseOf(() -> {
      ch.basicPublish(x, "k1", headers(Map.of("CC", "k2")), bytes("m"));
      ch.queueDeclarePassive(q1);
    })).isEqualTo("406 PRECONDITION_FAILED - invalid message: {unacceptable_type_in_header,\"CC\",longstr}");
    Channel again = conn.createChannel();
    assertThat(drain(again, q1)).isEmpty();
    assertThat(drain(again, q2)).isEmpty();
  }

  @Test
  void aBccHeaderThatIsNotAnArrayClosesTheChannelWithItsTypeInTheText() throws Exception {
    assertThat(channelCloseOf(() -> {
      ch.basicPublish(x, "k1", headers(Map.of("CC", List.of("k2"), "BCC", 3)), bytes("m"));
      ch.queueDeclarePassive(q1);
    })).isEqualTo("406 PRECONDITION_FAILED - invalid message: {unacceptable_type_in_header,\"BCC\",signedint}");
    Channel again = conn.createChannel();
    assertThat(drain(again, q1)).isEmpty();
    assertThat(drain(again, q2)).isEmpty();
  }

  @Test
  void aCcTableIsRefusedInATransactionToo() throws Exception {
    ch.txSelect();
    assertThat(channelCloseOf(() -> {
      ch.basicPublish(x, "k1", headers(Map.of("CC", Map.of("k2", 1))), bytes("m"));
      ch.txCommit();
    })).isEqualTo("406 PRECONDITION_FAILED - invalid message: {unacceptable_type_in_header,\"CC\",table}");
  }

  @Test
  void onlyTheStringElementsOfACcArrayRouteAndTheHeaderIsDeliveredWhole() throws Exception {
    ch.basicPublish(x, "k1", headers(Map.of("CC", List.of(2, "k2", true, List.of("k3")))), bytes("m"));
    assertThat(drain(ch, q1)).containsExactly("m");
    assertThat(drain(ch, q3)).isEmpty();
    GetResponse r = ch.basicGet(q2, true);
    assertThat(r).isNotNull();
    assertThat((List<?>) r.getProps().getHeaders().get("CC")).hasSize(4);
  }

  @Test
  void aReturnedMessageCarriesNoBccHeader() throws Exception {
    List<AMQP.BasicProperties> returned = new CopyOnWriteArrayList<>();
    ch.addReturnListener(r -> returned.add(r.getProperties()));
    ch.confirmSelect();
    ch.basicPublish(x, "nowhere", true, headers(Map.of("BCC", List.of("nowhere-else"), "kept", 1)), bytes("m"));
    ch.waitForConfirmsOrDie(10_000);
    assertThat(returned).hasSize(1);
    assertThat(returned.getFirst().getHeaders()).containsKey("kept").doesNotContainKey("BCC");
  }

  @Nested
  class DeadLetters {
    String source;
    String dlx;

    /** {@code source} dead-letters to the direct exchange {@code dlx}, with {@code dlrk} when not null. */
    void deadLetteringTo(String dlrk) throws Exception {
      source = unique("ssd-dl");
      dlx = source + ".dlx";
      ch.exchangeDeclare(dlx, "direct");
      Map<String, Object> args = new HashMap<>(Map.of("x-dead-letter-exchange", dlx));
      if (dlrk != null) {
        args.put("x-dead-letter-routing-key", dlrk);
      }
      ch.queueDeclare(source, false, false, false, args);
    }

    String boundToDlx(String key, Map<String, Object> args) throws Exception {
      String q = unique("ssd-dl-q");
      ch.queueDeclare(q, false, false, false, args);
      ch.queueBind(q, dlx, key);
      return q;
    }

    void reject(String queue) throws Exception {
      awaitReady(ch, queue, 1);
      ch.basicReject(ch.basicGet(queue, false).getEnvelope().getDeliveryTag(), false);
    }

    @Test
    void withoutADeadLetterRoutingKeyBccKeysRouteTheDeadLetterButAreNotRecorded() throws Exception {
      // dead_letter_routing_key_header_BCC and dead_letter_headers_BCC
      deadLetteringTo(null);
      String byBcc = boundToDlx("bcc-key", Map.of());
      ch.basicPublish("", source, headers(Map.of("CC", List.of("cc-key"), "BCC", List.of("bcc-key"))), bytes("m"));
      reject(source);
      GetResponse dead = awaitGet(ch, byBcc);
      assertThat(dead.getEnvelope().getRoutingKey()).isEqualTo(source);
      assertThat(dead.getProps().getHeaders()).containsKey("CC").doesNotContainKey("BCC");
      assertThat(routingKeys(xDeath(dead.getProps()).getFirst())).containsExactly(source, "cc-key");
    }

    @Test
    void aDeadLetterRoutingKeyReplacesTheKeysButTheCcHeaderStays() throws Exception {
      // dead_letter_headers_CC_with_routing_key: RabbitMQ 3.13 keeps CC (message containers)
      deadLetteringTo("dl-key");
      String byKey = boundToDlx("dl-key", Map.of());
      String byCc = boundToDlx("cc-key", Map.of());
      ch.basicPublish("", source, headers(Map.of("CC", List.of("cc-key"), "BCC", List.of("bcc-key"))), bytes("m"));
      reject(source);
      GetResponse dead = awaitGet(ch, byKey);
      assertThat(dead.getEnvelope().getRoutingKey()).isEqualTo("dl-key");
      assertThat((List<?>) dead.getProps().getHeaders().get("CC")).extracting(Object::toString).containsExactly("cc-key");
      assertThat(ready(ch, byCc)).isZero();
    }

    @Test
    void aDeadLetterDyingAgainRoutesAndIsRecordedWithTheKeysItWasDeadLetteredWith() throws Exception {
      // source --dl-key--> middle (no dead-letter routing key) --dl-key only, not cc-key--> last
      deadLetteringTo("dl-key");
      String middle = boundToDlx("dl-key", Map.of("x-dead-letter-exchange", source + ".dlx2"));
      String second = source + ".dlx2";
      ch.exchangeDeclare(second, "direct");
      String last = unique("ssd-dl-last");
      ch.queueDeclare(last, false, false, false, null);
      ch.queueBind(last, second, "dl-key");
      String byCc = unique("ssd-dl-cc");
      ch.queueDeclare(byCc, false, false, false, null);
      ch.queueBind(byCc, second, "cc-key");
      ch.queueBind(byCc, second, "bcc-key");
      ch.basicPublish("", source, headers(Map.of("CC", List.of("cc-key"), "BCC", List.of("bcc-key"))), bytes("m"));
      reject(source);
      reject(middle);
      GetResponse dead = awaitGet(ch, last);
      List<Map<String, Object>> deaths = xDeath(dead.getProps());
      assertThat(deaths).extracting(d -> d.get("queue").toString()).containsExactly(middle, source);
      assertThat(routingKeys(deaths.get(0))).containsExactly("dl-key");
      assertThat(routingKeys(deaths.get(1))).containsExactly(source, "cc-key");
      assertThat(ready(ch, byCc)).isZero();
    }

    @Test
    void aBccDeadLetterKeepsItsBccKeysForTheNextDeadLettering() throws Exception {
      // source --own keys--> middle (bound by the BCC key) --own keys again--> last (bound by the BCC key)
      deadLetteringTo(null);
      String second = source + ".dlx2";
      ch.exchangeDeclare(second, "direct");
      String middle = boundToDlx("bcc-key", Map.of("x-dead-letter-exchange", second));
      String last = unique("ssd-dl-last");
      ch.queueDeclare(last, false, false, false, null);
      ch.queueBind(last, second, "bcc-key");
      ch.basicPublish("", source, headers(Map.of("BCC", List.of("bcc-key"))), bytes("m"));
      reject(source);
      reject(middle);
      GetResponse dead = awaitGet(ch, last);
      assertThat(dead.getProps().getHeaders()).doesNotContainKey("BCC");
      assertThat(xDeath(dead.getProps())).extracting(d -> routingKeys(d)).containsExactly(List.of(source), List.of(source));
    }
  }
}
