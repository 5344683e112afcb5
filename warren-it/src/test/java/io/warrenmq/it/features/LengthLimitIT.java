package io.warrenmq.it.features;

import static io.warrenmq.it.features.Fixtures.awaitGet;
import static io.warrenmq.it.features.Fixtures.awaitReady;
import static io.warrenmq.it.features.Fixtures.queueWithDlx;
import static io.warrenmq.it.features.Fixtures.ready;
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
import java.util.ArrayList;
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
 * Queue length limits as RabbitMQ has them (docs "Queue Length Limit", rabbit_amqqueue_process
 * will_overflow / maybe_drop_head): x-max-length and x-max-length-bytes count ready messages only,
 * x-overflow drop-head, reject-publish and reject-publish-dlx, publisher nacks under confirms.
 */
class LengthLimitIT {
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

  /** Publishes each body with confirms and returns whether each was acked (true) or nacked. */
  private static List<Boolean> publishConfirmed(Channel c, String queue, String... bodies) throws Exception {
    List<Boolean> acks = new ArrayList<>();
    for (String b : bodies) {
      c.basicPublish("", queue, null, bytes(b));
      acks.add(c.waitForConfirms(5000));
    }
    return acks;
  }

  @Nested
  class DropHead {
    @Test
    void theOldestMessagesGoFirst() throws Exception {
      String q = unique("ml-drop");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 2));
      for (String m : List.of("1", "2", "3", "4")) {
        ch.basicPublish("", q, null, bytes(m));
      }
      awaitReady(ch, q, 2);
      assertThat(drain(ch, q)).containsExactly("3", "4");
    }

    @Test
    void droppedMessagesAreDeadLetteredInOrderWithReasonMaxlen() throws Exception {
      String q = unique("ml-drop-dlx");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-max-length", 1));
      for (String m : List.of("1", "2", "3")) {
        ch.basicPublish("", q, null, bytes(m));
      }
      awaitReady(ch, dlx.queue(), 2);
      GetResponse first = ch.basicGet(dlx.queue(), true);
      assertThat(text(first.getBody())).isEqualTo("1");
      Map<String, Object> death = xDeath(first.getProps()).getFirst();
      assertThat(death.get("reason").toString()).isEqualTo("maxlen");
      assertThat(death.get("queue").toString()).isEqualTo(q);
      assertThat(text(ch.basicGet(dlx.queue(), true).getBody())).isEqualTo("2");
      assertThat(drain(ch, q)).containsExactly("3");
    }

    @Test
    void publishesAreConfirmedEvenWhenTheyPushOthersOut() throws Exception {
      String q = unique("ml-drop-confirm");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1));
      ch.confirmSelect();
      assertThat(publishConfirmed(ch, q, "a", "b", "c")).containsExactly(true, true, true);
      assertThat(drain(ch, q)).containsExactly("c");
    }

    @Test
    void maxLengthBytesCountsTheBodiesOfReadyMessages() throws Exception {
      String q = unique("mlb-drop");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length-bytes", 25));
      for (String m : List.of("0123456789", "abcdefghij", "ABCDEFGHIJ")) {
        ch.basicPublish("", q, null, bytes(m));
      }
      awaitReady(ch, q, 2);
      assertThat(drain(ch, q)).containsExactly("abcdefghij", "ABCDEFGHIJ");
    }

    @Test
    void aMessageLargerThanMaxLengthBytesDropsEverythingIncludingItself() throws Exception {
      String q = unique("mlb-huge");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-max-length-bytes", 5));
      ch.basicPublish("", q, null, bytes("ok"));
      ch.basicPublish("", q, null, bytes("far too long"));
      awaitReady(ch, dlx.queue(), 2);
      assertThat(drain(ch, dlx.queue())).containsExactly("ok", "far too long");
      assertThat(ready(ch, q)).isZero();
    }

    @Test
    void unackedMessagesDoNotCount() throws Exception {
      String q = unique("ml-unacked");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1));
      ch.basicPublish("", q, null, bytes("held"));
      awaitReady(ch, q, 1);
      GetResponse held = ch.basicGet(q, false);
      ch.basicPublish("", q, null, bytes("a"));
      ch.basicPublish("", q, null, bytes("b"));
      awaitReady(ch, q, 1);
      ch.basicAck(held.getEnvelope().getDeliveryTag(), false);
      assertThat(text(held.getBody())).isEqualTo("held");
      assertThat(drain(ch, q)).containsExactly("b");
    }

    @Test
    void maxLengthZeroStillDeliversToAWaitingConsumer() throws Exception {
      String q = unique("ml-zero");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-max-length", 0));
      BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      Channel consumer = conn.createChannel();
      consumer.basicConsume(q, false, (tag, d) -> got.add(d), tag -> { });
      ch.basicPublish("", q, null, bytes("straight through"));
      assertThat(text(take(got, 1).getFirst().getBody())).isEqualTo("straight through");
      assertThat(ready(ch, dlx.queue())).isZero();
    }

    @Test
    void aRequeueOverTheLimitDropsTheHead() throws Exception {
      // requeue_and_run calls maybe_drop_head: the requeued message, back at the head, goes
      String q = unique("ml-requeue");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-max-length", 1));
      ch.basicPublish("", q, null, bytes("held"));
      awaitReady(ch, q, 1);
      GetResponse held = ch.basicGet(q, false);
      ch.basicPublish("", q, null, bytes("ready"));
      awaitReady(ch, q, 1);
      ch.basicNack(held.getEnvelope().getDeliveryTag(), false, true);
      GetResponse dead = awaitGet(ch, dlx.queue());
      assertThat(text(dead.getBody())).isEqualTo("held");
      assertThat(xDeath(dead.getProps()).getFirst().get("reason").toString()).isEqualTo("maxlen");
      assertThat(drain(ch, q)).containsExactly("ready");
    }

    @Test
    void maxLengthZeroWithoutAConsumerDeadLettersEveryMessage() throws Exception {
      String q = unique("ml-zero-none");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-max-length", 0));
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(xDeath(awaitGet(ch, dlx.queue()).getProps()).getFirst().get("reason").toString()).isEqualTo("maxlen");
      assertThat(ready(ch, q)).isZero();
    }
  }

  @Nested
  class RejectPublish {
    @Test
    void aFullQueueNacksThePublisherAndKeepsItsMessages() throws Exception {
      String q = unique("rp");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 2, "x-overflow", "reject-publish"));
      ch.confirmSelect();
      assertThat(publishConfirmed(ch, q, "1", "2", "3")).containsExactly(true, true, false);
      assertThat(drain(ch, q)).containsExactly("1", "2");
      assertThat(publishConfirmed(ch, q, "4")).containsExactly(true);
    }

    @Test
    void withoutConfirmsTheRefusedMessageIsDroppedSilently() throws Exception {
      String q = unique("rp-noconfirm");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
      ch.basicPublish("", q, null, bytes("1"));
      ch.basicPublish("", q, null, bytes("2"));
      awaitReady(ch, q, 1);
      assertThat(drain(ch, q)).containsExactly("1");
      assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aRefusedMessageIsNotDeadLettered() throws Exception {
      String q = unique("rp-nodlx");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
      ch.confirmSelect();
      assertThat(publishConfirmed(ch, q, "1", "2")).containsExactly(true, false);
      assertThat(ready(ch, dlx.queue())).isZero();
    }

    @Test
    void maxLengthBytesRefusesAMessageThatWouldNotFit() throws Exception {
      String q = unique("rp-bytes");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length-bytes", 10, "x-overflow", "reject-publish"));
      ch.confirmSelect();
      assertThat(publishConfirmed(ch, q, "12345", "67890", "x")).containsExactly(true, true, false);
      assertThat(drain(ch, q)).containsExactly("12345", "67890");
    }

    @Test
    void unackedMessagesDoNotCount() throws Exception {
      String q = unique("rp-unacked");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
      ch.confirmSelect();
      assertThat(publishConfirmed(ch, q, "held")).containsExactly(true);
      GetResponse held = ch.basicGet(q, false);
      assertThat(publishConfirmed(ch, q, "ready", "refused")).containsExactly(true, false);
      ch.basicAck(held.getEnvelope().getDeliveryTag(), false);
    }

    @Test
    void aRequeueMayTakeTheQueueOverTheLimitAndPublishesAreRefusedUntilItDrains() throws Exception {
      String q = unique("rp-requeue");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
      ch.confirmSelect();
      assertThat(publishConfirmed(ch, q, "held")).containsExactly(true);
      GetResponse held = ch.basicGet(q, false);
      assertThat(publishConfirmed(ch, q, "ready")).containsExactly(true);
      ch.basicNack(held.getEnvelope().getDeliveryTag(), false, true);
      awaitReady(ch, q, 2);
      assertThat(publishConfirmed(ch, q, "refused")).containsExactly(false);
      assertThat(drain(ch, q)).containsExactly("held", "ready");
    }

    @Test
    void maxLengthZeroNacksEvenWithAConsumerWaiting() throws Exception {
      // will_overflow is checked before any delivery attempt (rabbit_amqqueue_process maybe_deliver_or_enqueue)
      String q = unique("rp-zero");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
      BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      Channel consumer = conn.createChannel();
      consumer.basicConsume(q, true, (tag, d) -> got.add(d), tag -> { });
      ch.confirmSelect();
      assertThat(publishConfirmed(ch, q, "refused")).containsExactly(false);
      Channel c2 = conn.createChannel();
      c2.confirmSelect();
      c2.basicPublish("", q, null, bytes("also refused"));
      assertThat(c2.waitForConfirms(5000)).isFalse();
      assertThat(got).isEmpty();
    }

    @Test
    void aMessageRoutedToAFullQueueAndAnotherIsNackedButStoredInTheOther() throws Exception {
      String full = unique("rp-fanout-full");
      String open = full + ".open";
      ch.exchangeDeclare(full + ".x", "fanout");
      ch.queueDeclare(full, false, false, false, Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
      ch.queueDeclare(open, false, false, false, null);
      ch.queueBind(full, full + ".x", "");
      ch.queueBind(open, full + ".x", "");
      ch.confirmSelect();
      ch.basicPublish(full + ".x", "", null, bytes("m"));
      assertThat(ch.waitForConfirms(5000)).isFalse();
      assertThat(drain(ch, open)).containsExactly("m");
    }
  }

  @Nested
  class RejectPublishDlx {
    @Test
    void theRefusedMessageIsNackedAndDeadLetteredTheQueueKept() throws Exception {
      String q = unique("rpd");
      Dlx dlx = queueWithDlx(ch, q, Map.of("x-max-length", 1, "x-overflow", "reject-publish-dlx"));
      ch.confirmSelect();
      assertThat(publishConfirmed(ch, q, "1", "2", "3")).containsExactly(true, false, false);
      awaitReady(ch, dlx.queue(), 2);
      assertThat(drain(ch, dlx.queue())).containsExactly("2", "3");
      assertThat(drain(ch, q)).containsExactly("1");
    }

    @Test
    void withoutADeadLetterExchangeItBehavesAsRejectPublish() throws Exception {
      String q = unique("rpd-nodlx");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1, "x-overflow", "reject-publish-dlx"));
      ch.confirmSelect();
      assertThat(publishConfirmed(ch, q, "1", "2")).containsExactly(true, false);
      assertThat(drain(ch, q)).containsExactly("1");
    }
  }

  @Nested
  class Arguments {
    @Test
    void aNegativeLimitIsRefused() throws Exception {
      String q = unique("ml-neg");
      assertThat(channelCloseOf(() -> ch.queueDeclare(q, false, false, false, Map.of("x-max-length", -1))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-max-length' for queue '" + q
              + "' in vhost '/': {value_negative,-1}");
      Channel c = conn.createChannel();
      assertThat(channelCloseOf(() -> c.queueDeclare(q, false, false, false, Map.of("x-max-length-bytes", -5))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-max-length-bytes' for queue '" + q
              + "' in vhost '/': {value_negative,-5}");
    }

    @Test
    void anUnknownOverflowIsRefused() throws Exception {
      String q = unique("ml-overflow");
      assertThat(channelCloseOf(() -> ch.queueDeclare(q, false, false, false, Map.of("x-overflow", "drop-tail"))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-overflow' for queue '" + q
              + "' in vhost '/': {unsupported_value,\"drop-tail\"}");
    }

    @Test
    void theLowerOfArgumentAndPolicyLimits() throws Exception {
      String lowArg = unique("ml-lowarg");
      ch.queueDeclare(lowArg, false, false, false, Map.of("x-max-length", 1));
      setPolicy(broker, lowArg, "^" + lowArg + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 3L));
      String lowPolicy = unique("ml-lowpol");
      ch.queueDeclare(lowPolicy, false, false, false, Map.of("x-max-length", 3));
      setPolicy(broker, lowPolicy, "^" + lowPolicy + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 1L));
      for (String m : List.of("1", "2", "3")) {
        ch.basicPublish("", lowArg, null, bytes(m));
        ch.basicPublish("", lowPolicy, null, bytes(m));
      }
      awaitReady(ch, lowArg, 1);
      awaitReady(ch, lowPolicy, 1);
      assertThat(drain(ch, lowArg)).containsExactly("3");
      assertThat(drain(ch, lowPolicy)).containsExactly("3");
    }

    @Test
    void theOverflowArgumentWinsOverThePolicy() throws Exception {
      String q = unique("ml-ovarg");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("overflow", "drop-head"));
      ch.confirmSelect();
      assertThat(publishConfirmed(ch, q, "1", "2")).containsExactly(true, false);
      assertThat(drain(ch, q)).containsExactly("1");
    }
  }
}
