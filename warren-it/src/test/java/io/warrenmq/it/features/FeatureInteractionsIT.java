package io.warrenmq.it.features;

import static io.warrenmq.it.features.Fixtures.awaitGet;
import static io.warrenmq.it.features.Fixtures.awaitReady;
import static io.warrenmq.it.features.Fixtures.clearPolicy;
import static io.warrenmq.it.features.Fixtures.deadLetterTarget;
import static io.warrenmq.it.features.Fixtures.queueExists;
import static io.warrenmq.it.features.Fixtures.ready;
import static io.warrenmq.it.features.Fixtures.setPolicy;
import static io.warrenmq.it.features.Fixtures.xDeath;
import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.it.features.Fixtures.Dlx;
import io.warrenmq.it.support.BrokerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TTL, dead-lettering, length limits and policies together: their order of effect, a policy
 * changed while messages wait, and a restart in the middle.
 */
class FeatureInteractionsIT {
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

  private static List<String> reasons(Channel ch, String queue, int n) throws Exception {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      GetResponse r = ch.basicGet(queue, true);
      out.add(text(r.getBody()) + ":" + xDeath(r.getProps()).getFirst().get("reason"));
    }
    return out;
  }

  @Nested
  class TtlDeadLetteringAndLimits {
    @Test
    void theHeadDroppedForLengthAndTheRestExpiredAllReachTheDlxInOrderWithTheirReasons() throws Exception {
      String q = unique("mix");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false,
          Map.of("x-message-ttl", 100, "x-max-length", 2, "x-dead-letter-exchange", dlx.exchange()));
      for (String m : List.of("1", "2", "3")) {
        ch.basicPublish("", q, null, bytes(m));
      }
      awaitReady(ch, dlx.queue(), 3);
      assertThat(reasons(ch, dlx.queue(), 3)).containsExactly("1:maxlen", "2:expired", "3:expired");
      assertThat(ready(ch, q)).isZero();
    }

    @Test
    void deadLettersLandInALimitedQueueThatDeadLettersAgain() throws Exception {
      // source --expired--> middle (max-length 1) --maxlen--> last
      String source = unique("mix-chain");
      String middle = source + ".middle";
      String last = source + ".last";
      ch.queueDeclare(last, false, false, false, null);
      ch.queueDeclare(middle, false, false, false,
          Map.of("x-max-length", 1, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", last));
      ch.queueDeclare(source, false, false, false,
          Map.of("x-message-ttl", 20, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", middle));
      for (String m : List.of("1", "2", "3")) {
        ch.basicPublish("", source, null, bytes(m));
      }
      awaitReady(ch, last, 2);
      GetResponse first = ch.basicGet(last, true);
      assertThat(text(first.getBody())).isEqualTo("1");
      List<Map<String, Object>> deaths = xDeath(first.getProps());
      assertThat(deaths).extracting(d -> d.get("queue") + ":" + d.get("reason"))
          .containsExactly(middle + ":maxlen", source + ":expired");
      assertThat(text(ch.basicGet(last, true).getBody())).isEqualTo("2");
      assertThat(drain(ch, middle)).containsExactly("3");
    }

    @Test
    void anExpiringMessageMakesRoomInAFullRejectPublishQueue() throws Exception {
      String q = unique("mix-room");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false,
          Map.of("x-max-length", 1, "x-overflow", "reject-publish", "x-dead-letter-exchange", dlx.exchange()));
      ch.confirmSelect();
      ch.basicPublish("", q, new AMQP.BasicProperties.Builder().expiration("100").build(), bytes("short"));
      assertThat(ch.waitForConfirms(5000)).isTrue();
      ch.basicPublish("", q, null, bytes("refused"));
      assertThat(ch.waitForConfirms(5000)).isFalse();
      awaitGet(ch, dlx.queue());
      ch.basicPublish("", q, null, bytes("accepted"));
      assertThat(ch.waitForConfirms(5000)).isTrue();
      assertThat(drain(ch, q)).containsExactly("accepted");
    }

    @Test
    void aTtlZeroMessageThatCannotBeDeliveredDoesNotCountAgainstTheLimit() throws Exception {
      String q = unique("mix-ttl0");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false,
          Map.of("x-max-length", 1, "x-overflow", "reject-publish", "x-dead-letter-exchange", dlx.exchange()));
      ch.confirmSelect();
      ch.basicPublish("", q, new AMQP.BasicProperties.Builder().expiration("0").build(), bytes("gone"));
      ch.basicPublish("", q, null, bytes("kept"));
      assertThat(ch.waitForConfirms(5000)).isTrue();
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("gone");
      assertThat(drain(ch, q)).containsExactly("kept");
    }
  }

  @Nested
  class PolicyChangedWhileMessagesWait {
    @Test
    void aLowerMaxLengthDeadLettersTheOldestAtOnce() throws Exception {
      String q = unique("pcw-len");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", dlx.exchange()));
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 5L));
      for (String m : List.of("1", "2", "3", "4")) {
        ch.basicPublish("", q, null, bytes(m));
      }
      awaitReady(ch, q, 4);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 1L));
      assertThat(ready(ch, q)).isEqualTo(1);
      awaitReady(ch, dlx.queue(), 3);
      assertThat(reasons(ch, dlx.queue(), 3)).containsExactly("1:maxlen", "2:maxlen", "3:maxlen");
    }

    @Test
    void aLowerMaxLengthBytesTrimsAtOnce() throws Exception {
      String q = unique("pcw-bytes");
      ch.queueDeclare(q, false, false, false, null);
      for (String m : List.of("aaaaa", "bbbbb", "ccccc")) {
        ch.basicPublish("", q, null, bytes(m));
      }
      awaitReady(ch, q, 3);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length-bytes", 10L));
      assertThat(drain(ch, q)).containsExactly("bbbbb", "ccccc");
    }

    @Test
    void aMessageTtlPolicyAppliesToLaterMessagesOnlyWhichExpireBehindTheOlderOnes() throws Exception {
      // as RabbitMQ, the deadline is fixed when a message is enqueued (rabbit_amqqueue_process
      // message_properties); unlike RabbitMQ, "after" does not wait for "before" to leave the head
      String q = unique("pcw-ttl");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", dlx.exchange()));
      ch.basicPublish("", q, null, bytes("before"));
      awaitReady(ch, q, 1);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("message-ttl", 50L));
      ch.basicPublish("", q, null, bytes("after"));
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("after");
      assertThat(drain(ch, q)).containsExactly("before");
    }

    @Test
    void clearingATtlPolicyLeavesTheDeadlinesAlreadyGiven() throws Exception {
      String q = unique("pcw-ttl-clear");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", dlx.exchange()));
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("message-ttl", 150L));
      ch.basicPublish("", q, null, bytes("m"));
      awaitReady(ch, q, 1);
      clearPolicy(broker, q);
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("m");
    }

    @Test
    void switchingOverflowToRejectPublishStopsDroppingTheHead() throws Exception {
      String q = unique("pcw-overflow");
      ch.queueDeclare(q, false, false, false, null);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 1L));
      ch.confirmSelect();
      ch.basicPublish("", q, null, bytes("1"));
      ch.basicPublish("", q, null, bytes("2"));
      assertThat(ch.waitForConfirms(5000)).isTrue();
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 1L, "overflow", "reject-publish"));
      ch.basicPublish("", q, null, bytes("3"));
      assertThat(ch.waitForConfirms(5000)).isFalse();
      assertThat(drain(ch, q)).containsExactly("2");
    }
  }

  @Nested
  class RestartInTheMiddle {
    @Test
    void limitsTtlsAndQueueExpiryStillHoldAfterARestart() throws Exception {
      String limited = unique("rim-len");
      String expiring = unique("rim-ttl");
      String unused = unique("rim-expires");
      String dlxName = limited + ".dlx";
      String dead = limited + ".dead";
      ch.exchangeDeclare(dlxName, "fanout", true);
      ch.queueDeclare(dead, true, false, false, null);
      ch.queueBind(dead, dlxName, "");
      ch.queueDeclare(limited, true, false, false, Map.of("x-max-length", 2, "x-dead-letter-exchange", dlxName));
      ch.queueDeclare(expiring, true, false, false, Map.of("x-message-ttl", 400, "x-dead-letter-exchange", dlxName));
      ch.queueDeclare(unused, true, false, false, Map.of("x-expires", 300));
      setPolicy(broker, limited, "^" + limited + "$", Policy.ApplyTo.QUEUES, 0, Map.of("overflow", "drop-head"));
      AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
      ch.confirmSelect();
      ch.basicPublish("", limited, persistent, bytes("a"));
      ch.basicPublish("", limited, persistent, bytes("b"));
      ch.basicPublish("", expiring, persistent, bytes("t"));
      assertThat(ch.waitForConfirms(5000)).isTrue();
      conn.abort();

      broker.restart();
      conn = broker.factory().newConnection();
      ch = conn.createChannel();
      ch.basicPublish("", limited, persistent, bytes("c"));
      awaitReady(ch, dead, 2);
      List<String> got = reasons(ch, dead, 2);
      assertThat(got).containsExactlyInAnyOrder("a:maxlen", "t:expired");
      assertThat(drain(ch, limited)).containsExactly("b", "c");
      eventually("the unused durable queue expires after the restart too", () -> !queueExists(broker, unused));
    }
  }
}
