package io.warrenmq.it.consume;

import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.connectionCloseOf;
import static io.warrenmq.it.support.Messaging.take;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.impl.AMQImpl;
import io.warrenmq.it.support.BrokerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acknowledgements: basic.ack, nack and reject (single, multiple, requeue or not), the redelivered
 * flag, the order of requeued messages, basic.recover and recover-async, and the requeueing of
 * unacked messages when their channel or connection closes.
 */
class AckIT {
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

  String queueWith(int messages) throws Exception {
    String q = unique("q");
    ch.queueDeclare(q, false, false, false, null);
    for (int i = 1; i <= messages; i++) {
      ch.basicPublish("", q, null, bytes("m" + i));
    }
    return q;
  }

  /** Takes {@code n} messages with basic.get, leaving them unacked; returns their tags. */
  List<Long> getUnacked(Channel c, String q, int n) throws Exception {
    List<Long> tags = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      GetResponse r = c.basicGet(q, false);
      assertThat(r).as("message %d", i + 1).isNotNull();
      tags.add(r.getEnvelope().getDeliveryTag());
    }
    return tags;
  }

  /** Every ready message as "body" or "body*" when redelivered, taken with auto-ack. */
  List<String> drainMarked(Channel c, String q) throws Exception {
    List<String> out = new ArrayList<>();
    GetResponse r;
    while ((r = c.basicGet(q, true)) != null) {
      out.add(text(r.getBody()) + (r.getEnvelope().isRedeliver() ? "*" : ""));
    }
    return out;
  }

  @Nested
  class Ack {
    @Test
    void anAckedMessageIsGoneForGood() throws Exception {
      String q = queueWith(2);
      List<Long> tags = getUnacked(ch, q, 2);
      ch.basicAck(tags.get(0), false);
      ch.close();
      Channel c2 = conn.createChannel();
      assertThat(drainMarked(c2, q)).containsExactly("m2*");
    }

    @Test
    void aMultipleAckAcksEveryTagUpToIt() throws Exception {
      String q = queueWith(4);
      List<Long> tags = getUnacked(ch, q, 4);
      ch.basicAck(tags.get(2), true);
      ch.close();
      assertThat(drainMarked(conn.createChannel(), q)).containsExactly("m4*");
    }

    @Test
    void aMultipleAckOfTagZeroAcksEverything() throws Exception {
      String q = queueWith(3);
      getUnacked(ch, q, 3);
      ch.basicAck(0, true);
      ch.close();
      assertThat(drainMarked(conn.createChannel(), q)).isEmpty();
    }

    @Test
    void aMultipleAckSettlesDeliveriesOfSeveralQueues() throws Exception {
      String q1 = queueWith(2);
      String q2 = queueWith(2);
      List<Long> tags = new ArrayList<>();
      tags.addAll(getUnacked(ch, q1, 1));
      tags.addAll(getUnacked(ch, q2, 1));
      tags.addAll(getUnacked(ch, q1, 1));
      tags.addAll(getUnacked(ch, q2, 1));
      ch.basicAck(tags.get(2), true);
      ch.basicNack(tags.get(3), true, true);
      assertThat(drainMarked(ch, q1)).isEmpty();
      assertThat(drainMarked(ch, q2)).containsExactly("m2*");
    }

    @Test
    void anUnknownDeliveryTagIs406() throws Exception {
      String q = queueWith(1);
      getUnacked(ch, q, 1);
      assertThat(channelCloseOf(() -> {
        ch.basicAck(42, false);
        ch.queueDeclare();
      })).isEqualTo("406 PRECONDITION_FAILED - unknown delivery tag 42");
    }

    @Test
    void ackingTheSameTagTwiceIs406() throws Exception {
      String q = queueWith(1);
      long tag = getUnacked(ch, q, 1).get(0);
      ch.basicAck(tag, false);
      assertThat(channelCloseOf(() -> {
        ch.basicAck(tag, false);
        ch.queueDeclare();
      })).isEqualTo("406 PRECONDITION_FAILED - unknown delivery tag " + tag);
    }

    @Test
    void ackingANoAckDeliveryIs406() throws Exception {
      String q = queueWith(1);
      long tag = ch.basicGet(q, true).getEnvelope().getDeliveryTag();
      assertThat(channelCloseOf(() -> {
        ch.basicAck(tag, false);
        ch.queueDeclare();
      })).isEqualTo("406 PRECONDITION_FAILED - unknown delivery tag " + tag);
    }

    @Test
    void aDeliveryTagIsValidOnlyOnItsChannel() throws Exception {
      String q = queueWith(1);
      long tag = getUnacked(ch, q, 1).get(0);
      Channel other = conn.createChannel();
      assertThat(channelCloseOf(() -> {
        other.basicAck(tag, false);
        other.queueDeclare();
      })).isEqualTo("406 PRECONDITION_FAILED - unknown delivery tag " + tag);
    }
  }

  @Nested
  class NackAndReject {
    @Test
    void rejectWithRequeuePutsTheMessageBackMarkedRedelivered() throws Exception {
      String q = queueWith(1);
      GetResponse r = ch.basicGet(q, false);
      assertThat(r.getEnvelope().isRedeliver()).isFalse();
      ch.basicReject(r.getEnvelope().getDeliveryTag(), true);
      GetResponse again = ch.basicGet(q, false);
      assertThat(text(again.getBody())).isEqualTo("m1");
      assertThat(again.getEnvelope().isRedeliver()).isTrue();
      assertThat(again.getEnvelope().getDeliveryTag()).isEqualTo(r.getEnvelope().getDeliveryTag() + 1);
    }

    @Test
    void rejectWithoutRequeueDropsTheMessage() throws Exception {
      String q = queueWith(2);
      long tag = getUnacked(ch, q, 1).get(0);
      ch.basicReject(tag, false);
      assertThat(drainMarked(ch, q)).containsExactly("m2");
      ch.close();
      assertThat(drainMarked(conn.createChannel(), q)).isEmpty();
    }

    @Test
    void aMultipleNackWithRequeuePutsEveryTagUpToItBackInOrder() throws Exception {
      String q = queueWith(5);
      List<Long> tags = getUnacked(ch, q, 4);
      ch.basicNack(tags.get(2), true, true);
      assertThat(drainMarked(ch, q)).containsExactly("m1*", "m2*", "m3*", "m5");
      ch.basicAck(tags.get(3), false);
    }

    @Test
    void aMultipleNackWithoutRequeueDropsEveryTagUpToIt() throws Exception {
      String q = queueWith(4);
      List<Long> tags = getUnacked(ch, q, 3);
      ch.basicNack(tags.get(1), true, false);
      ch.close();
      assertThat(drainMarked(conn.createChannel(), q)).containsExactly("m3*", "m4");
    }

    @Test
    void requeuedMessagesGoBackToTheirOriginalPlace() throws Exception {
      String q = queueWith(6);
      List<Long> tags = getUnacked(ch, q, 4);
      ch.basicReject(tags.get(3), true);
      ch.basicReject(tags.get(0), true);
      ch.basicNack(tags.get(2), false, true);
      assertThat(drainMarked(ch, q)).containsExactly("m1*", "m3*", "m4*", "m5", "m6");
      ch.basicAck(tags.get(1), false);
    }

    @Test
    void aMultipleNackOfTagZeroRequeuesEverything() throws Exception {
      String q = queueWith(3);
      getUnacked(ch, q, 3);
      ch.basicNack(0, true, true);
      assertThat(drainMarked(ch, q)).containsExactly("m1*", "m2*", "m3*");
    }

    @Test
    void aRejectOfTagZeroIs406() throws Exception {
      String q = queueWith(1);
      getUnacked(ch, q, 1);
      assertThat(channelCloseOf(() -> {
        ch.basicReject(0, true);
        ch.queueDeclare();
      })).isEqualTo("406 PRECONDITION_FAILED - unknown delivery tag 0");
    }

    @Test
    void aNackOfAnUnknownTagIs406() {
      assertThat(channelCloseOf(() -> {
        ch.basicNack(7, false, true);
        ch.queueDeclare();
      })).isEqualTo("406 PRECONDITION_FAILED - unknown delivery tag 7");
    }

    @Test
    void aConsumerGetsTheRequeuedMessageAgainMarkedRedelivered() throws Exception {
      String q = queueWith(1);
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      ch.basicQos(1);
      ch.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
      Delivery first = take(got, 1).get(0);
      assertThat(first.getEnvelope().isRedeliver()).isFalse();
      ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
      Delivery second = take(got, 1).get(0);
      assertThat(text(second.getBody())).isEqualTo("m1");
      assertThat(second.getEnvelope().isRedeliver()).isTrue();
      ch.basicAck(second.getEnvelope().getDeliveryTag(), false);
    }
  }

  @Nested
  class Recover {
    @Test
    void recoverRequeuesEveryUnackedMessage() throws Exception {
      String q = queueWith(3);
      getUnacked(ch, q, 2);
      ch.basicRecover(true);
      assertThat(drainMarked(ch, q)).containsExactly("m1*", "m2*", "m3");
    }

    @Test
    void recoverRedeliversToTheConsumer() throws Exception {
      String q = queueWith(2);
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      ch.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
      take(got, 2);
      ch.basicRecover(true);
      List<String> again = take(got, 2).stream()
          .map(d -> text(d.getBody()) + (d.getEnvelope().isRedeliver() ? "*" : "")).toList();
      assertThat(again).containsExactly("m1*", "m2*");
    }

    @Test
    void recoverRequeuesTheUnackedMessagesOfACancelledConsumer() throws Exception {
      String q = queueWith(2);
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      String tag = ch.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
      take(got, 2);
      ch.basicCancel(tag);
      ch.basicRecover(true);
      assertThat(drainMarked(ch, q)).containsExactly("m1*", "m2*");
      assertThat(got).isEmpty();
    }

    @Test
    void recoverAsyncRequeuesWithoutAReply() throws Exception {
      String q = queueWith(2);
      getUnacked(ch, q, 2);
      ch.asyncRpc(new AMQImpl.Basic.RecoverAsync(true));
      assertThat(drainMarked(ch, q)).containsExactly("m1*", "m2*");
    }

    @Test
    void recoverWithoutRequeueClosesTheConnectionWith540() {
      assertThat(connectionCloseOf(() -> ch.basicRecover(false)))
          .isEqualTo("540 NOT_IMPLEMENTED - requeue=false");
    }
  }

  @Nested
  class Closing {
    @Test
    void closingTheChannelRequeuesItsUnackedMessagesInOrder() throws Exception {
      String q = queueWith(4);
      Channel consumer = conn.createChannel();
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      consumer.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
      List<Delivery> ds = take(got, 4);
      consumer.basicAck(ds.get(1).getEnvelope().getDeliveryTag(), false);
      consumer.close();
      assertThat(drainMarked(ch, q)).containsExactly("m1*", "m3*", "m4*");
    }

    @Test
    void closingTheConnectionRequeuesItsUnackedMessages() throws Exception {
      String q = queueWith(3);
      try (Connection other = broker.factory().newConnection()) {
        Channel c = other.createChannel();
        getUnacked(c, q, 2);
      }
      eventually("the unacked messages are back", () -> {
        try {
          return ch.messageCount(q) == 3;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(drainMarked(ch, q)).containsExactly("m1*", "m2*", "m3");
    }

    @Test
    void aChannelClosedByAnErrorRequeuesItsUnackedMessages() throws Exception {
      String q = queueWith(2);
      Channel c = conn.createChannel();
      getUnacked(c, q, 2);
      channelCloseOf(() -> c.queueDeclarePassive("no-such-q"));
      eventually("both messages are back", () -> {
        try {
          return ch.messageCount(q) == 2;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(drainMarked(ch, q)).containsExactly("m1*", "m2*");
    }
  }
}
