package io.warrenmq.it.features;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sender-selected distribution (RabbitMQ's CC and BCC headers): the keys of both headers route the
 * message as extra routing keys through the same exchange; a queue matched several times gets one
 * copy; the CC header is delivered, the BCC header never is.
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
}
