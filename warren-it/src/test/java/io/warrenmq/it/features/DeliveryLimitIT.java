package io.warrenmq.it.features;

import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.it.support.BrokerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Delivery limit (x-delivery-limit, RabbitMQ's quorum-queue poison message handling, here on
 * classic queues): redeliveries carry x-delivery-count (absent on the first delivery); a message
 * returned more times than the limit is dead-lettered with reason delivery_limit, or dropped.
 */
class DeliveryLimitIT {
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

  /** A queue with {@code limit}, dead-lettering to a fanout exchange bound to the returned queue. */
  String[] limitedWithDeadLetters(int limit) throws Exception {
    String dlx = unique("dlx");
    String dead = unique("dead");
    String q = unique("limited");
    ch.exchangeDeclare(dlx, "fanout");
    ch.queueDeclare(dead, false, false, false, null);
    ch.queueBind(dead, dlx, "");
    ch.queueDeclare(q, false, false, false, Map.of("x-delivery-limit", limit, "x-dead-letter-exchange", dlx));
    return new String[] {q, dead};
  }

  static Object deliveryCount(Delivery d) {
    Map<String, Object> h = d.getProperties().getHeaders();
    return h == null ? null : h.get("x-delivery-count");
  }

  @Test
  void aMessageNackedMoreTimesThanTheLimitIsDeadLetteredWithReasonDeliveryLimit() throws Exception {
    String[] qs = limitedWithDeadLetters(2);
    ch.basicPublish("", qs[0], null, bytes("poison"));
    Recorder r = new Recorder(ch);
    ch.basicConsume(qs[0], false, r);
    List<Object> counts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Delivery d = r.take(1).getFirst();
      counts.add(deliveryCount(d));
      ch.basicNack(d.getEnvelope().getDeliveryTag(), false, true);
    }
    assertThat(counts).containsExactly(null, 1L, 2L);
    eventually("the message is dead-lettered", () -> count(qs[1]) == 1);
    GetResponse dead = ch.basicGet(qs[1], true);
    assertThat(text(dead.getBody())).isEqualTo("poison");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> deaths = (List<Map<String, Object>>) dead.getProps().getHeaders().get("x-death");
    assertThat(deaths).hasSize(1);
    assertThat(deaths.getFirst().get("reason").toString()).isEqualTo("delivery_limit");
    assertThat(deaths.getFirst().get("queue").toString()).isEqualTo(qs[0]);
    assertThat(deaths.getFirst().get("count")).isEqualTo(1L);
    assertThat(dead.getProps().getHeaders().get("x-first-death-reason").toString()).isEqualTo("delivery_limit");
    assertThat(r.deliveries).isEmpty();
    assertThat(count(qs[0])).isZero();
  }

  @Test
  void rejectsAndBasicGetCountTowardsTheLimitAndTheLastReturnDeadLettersAtOnce() throws Exception {
    String[] qs = limitedWithDeadLetters(1);
    ch.basicPublish("", qs[0], null, bytes("m"));
    GetResponse first = ch.basicGet(qs[0], false);
    assertThat(first.getProps().getHeaders()).isNull();
    ch.basicReject(first.getEnvelope().getDeliveryTag(), true);
    GetResponse second = ch.basicGet(qs[0], false);
    assertThat(second.getEnvelope().isRedeliver()).isTrue();
    assertThat(second.getProps().getHeaders()).containsEntry("x-delivery-count", 1L);
    ch.basicReject(second.getEnvelope().getDeliveryTag(), true);
    // dead-lettered at the return, as rabbit_fifo does, not when someone next asks for a message
    eventually("the message is dead-lettered", () -> count(qs[1]) == 1);
    assertThat(count(qs[0])).isZero();
  }

  @Test
  void withoutADeadLetterExchangeAMessageOverTheLimitIsDropped() throws Exception {
    String q = unique("limited");
    ch.queueDeclare(q, false, false, false, Map.of("x-delivery-limit", 0));
    ch.basicPublish("", q, null, bytes("once"));
    ch.basicPublish("", q, null, bytes("next"));
    GetResponse r = ch.basicGet(q, false);
    assertThat(text(r.getBody())).isEqualTo("once");
    ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true);
    GetResponse next = ch.basicGet(q, true);
    assertThat(text(next.getBody())).isEqualTo("next");
    assertThat(ch.basicGet(q, true)).isNull();
    assertThat(ch.queueDeclarePassive(q).getMessageCount()).isZero();
  }

  @Test
  void anAcknowledgedRedeliveryIsNotAffectedByTheLimit() throws Exception {
    String[] qs = limitedWithDeadLetters(1);
    ch.basicPublish("", qs[0], null, bytes("m"));
    GetResponse first = ch.basicGet(qs[0], false);
    ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
    GetResponse second = ch.basicGet(qs[0], false);
    ch.basicAck(second.getEnvelope().getDeliveryTag(), false);
    assertThat(ch.queueDeclarePassive(qs[0]).getMessageCount()).isZero();
    assertThat(ch.queueDeclarePassive(qs[1]).getMessageCount()).isZero();
  }

  @Test
  void aQueueWithoutTheLimitAddsNoDeliveryCountHeader() throws Exception {
    String q = unique("plain");
    ch.queueDeclare(q, false, false, false, null);
    ch.basicPublish("", q, null, bytes("m"));
    for (int i = 0; i < 3; i++) {
      GetResponse r = ch.basicGet(q, false);
      assertThat(r.getProps().getHeaders()).isNull();
      ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true);
    }
  }

  /**
   * RabbitMQ 3.13.7 takes a negative x-delivery-limit (rabbit_amqqueue checks no value of it) and
   * rabbit_fifo kills a returned message whose delivery count exceeds the limit: the first return.
   * (RabbitMQ 4 reads a negative limit as unlimited; we follow 3.13.7.)
   */
  @Test
  void aNegativeLimitIsTakenAndDeadLettersAMessageAtItsFirstReturnAsRabbitMq3137() throws Exception {
    String[] qs = limitedWithDeadLetters(-1);
    ch.basicPublish("", qs[0], null, bytes("m"));
    GetResponse first = ch.basicGet(qs[0], false);
    ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
    eventually("the message is dead-lettered", () -> count(qs[1]) == 1);
    assertThat(count(qs[0])).isZero();
  }

  /** RabbitMQ 3.13.7 (rabbit_quorum_queue, args_policy_lookup with min): the lower limit wins. */
  @Test
  void aPolicyLimitBelowTheArgumentWins() throws Exception {
    String[] qs = limitedWithDeadLetters(5);
    Fixtures.setPolicy(broker, qs[0] + "-p", "^" + qs[0] + "$", Policy.ApplyTo.QUEUES, 0, Map.of("delivery-limit", 1L));
    try {
      ch.basicPublish("", qs[0], null, bytes("m"));
      for (int i = 0; i < 2; i++) {
        GetResponse r = ch.basicGet(qs[0], false);
        assertThat(r).as("delivery %d", i + 1).isNotNull();
        ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true);
      }
      eventually("the message is dead-lettered after two returns", () -> count(qs[1]) == 1);
    } finally {
      Fixtures.clearPolicy(broker, qs[0] + "-p");
    }
  }

  /** RabbitMQ 3.13.7 (rabbit_policies, validate_policy0): "-1 is not a valid delivery limit". */
  @Test
  void aPolicyWithANegativeLimitIsRefused() {
    assertThatThrownBy(() -> Fixtures.setPolicy(broker, unique("p"), "^nothing$", Policy.ApplyTo.QUEUES, 0,
        Map.of("delivery-limit", -1L)))
        .isInstanceOf(IllegalArgumentException.class)
        // RabbitMQ 3.13.7's text (rabbit_policies validate_policy0)
        .hasMessageContaining("-1 is not a valid delivery limit");
  }

  long count(String q) {
    try {
      return ch.queueDeclarePassive(q).getMessageCount();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
