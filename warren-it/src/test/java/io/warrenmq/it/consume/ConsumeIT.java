package io.warrenmq.it.consume;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.connectionCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.take;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import io.warrenmq.it.support.BrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * basic.consume and basic.cancel: tags, exclusive consumers, cancellation by the client and by the
 * broker, round-robin among consumers and the fields of basic.deliver.
 */
class ConsumeIT {
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

  String queue() throws Exception {
    String q = unique("q");
    ch.queueDeclare(q, false, false, false, null);
    return q;
  }

  /** Starts an auto-ack consumer whose deliveries go to {@code into}; returns its tag. */
  String consume(Channel c, String q, String tag, LinkedBlockingQueue<Delivery> into) throws Exception {
    return c.basicConsume(q, true, tag, (t, d) -> into.add(d), t -> { });
  }

  @Nested
  class Tags {
    @Test
    void anEmptyTagGetsAGeneratedAmqCtagTag() throws Exception {
      String tag = ch.basicConsume(queue(), true, (t, d) -> { }, t -> { });
      assertThat(tag).matches("amq\\.ctag-[A-Za-z0-9_-]{22}");
    }

    @Test
    void aClientChosenTagIsKept() throws Exception {
      assertThat(ch.basicConsume(queue(), true, "my-tag", (t, d) -> { }, t -> { })).isEqualTo("my-tag");
    }

    @Test
    void reusingATagOnTheSameChannelClosesTheConnectionWith530() throws Exception {
      String q = queue();
      ch.basicConsume(q, true, "dup", (t, d) -> { }, t -> { });
      assertThat(connectionCloseOf(() -> ch.basicConsume(q, true, "dup", (t, d) -> { }, t -> { })))
          .isEqualTo("530 NOT_ALLOWED - attempt to reuse consumer tag 'dup'");
    }

    @Test
    void theSameTagMayBeUsedOnAnotherChannel() throws Exception {
      String q = queue();
      ch.basicConsume(q, true, "same", (t, d) -> { }, t -> { });
      Channel other = conn.createChannel();
      assertThat(other.basicConsume(q, true, "same", (t, d) -> { }, t -> { })).isEqualTo("same");
      assertThat(ch.consumerCount(q)).isEqualTo(2);
    }

    @Test
    void anXPriorityThatIsNotAnIntegerIs406() throws Exception {
      String q = queue();
      assertThat(channelCloseOf(() -> ch.basicConsume(q, true, "", false, false, Map.of("x-priority", "high"),
          (t, d) -> { }, t -> { })))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-priority' for queue '" + q
              + "' in vhost '/': \"expected integer, got longstr\"");
    }

    @Test
    void consumingFromAMissingQueueIs404() {
      assertThat(channelCloseOf(() -> ch.basicConsume("no-such-q", true, (t, d) -> { }, t -> { })))
          .isEqualTo("404 NOT_FOUND - no queue 'no-such-q' in vhost '/'");
    }
  }

  @Nested
  class Exclusive {
    @Test
    void anExclusiveConsumerShutsOutOtherConsumersWith403() throws Exception {
      String q = queue();
      ch.basicConsume(q, true, "", false, true, Map.of(), (t, d) -> { }, t -> { });
      Channel other = conn.createChannel();
      assertThat(channelCloseOf(() -> other.basicConsume(q, true, (t, d) -> { }, t -> { })))
          .isEqualTo("403 ACCESS_REFUSED - queue '" + q + "' in vhost '/' in exclusive use");
    }

    @Test
    void anExclusiveConsumerIsRefusedWhenTheQueueHasConsumers() throws Exception {
      String q = queue();
      ch.basicConsume(q, true, (t, d) -> { }, t -> { });
      Channel other = conn.createChannel();
      assertThat(channelCloseOf(
          () -> other.basicConsume(q, true, "", false, true, Map.of(), (t, d) -> { }, t -> { })))
          .isEqualTo("403 ACCESS_REFUSED - queue '" + q + "' in vhost '/' in exclusive use");
    }

    @Test
    void othersMayConsumeOnceTheExclusiveConsumerIsCancelled() throws Exception {
      String q = queue();
      String tag = ch.basicConsume(q, true, "", false, true, Map.of(), (t, d) -> { }, t -> { });
      ch.basicCancel(tag);
      Channel other = conn.createChannel();
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      consume(other, q, "", got);
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(text(got.poll(10, TimeUnit.SECONDS).getBody())).isEqualTo("m");
    }
  }

  @Nested
  class Cancel {
    @Test
    void cancelAnswersCancelOkAndStopsDeliveries() throws Exception {
      String q = queue();
      LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
      String tag = ch.basicConsume(q, true, new DefaultConsumer(ch) {
        @Override
        public void handleDelivery(String t, Envelope e, AMQP.BasicProperties p, byte[] body) {
          events.add("deliver " + text(body));
        }

        @Override
        public void handleCancelOk(String t) {
          events.add("cancel-ok " + t);
        }
      });
      ch.basicPublish("", q, null, bytes("before"));
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("deliver before");
      ch.basicCancel(tag);
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("cancel-ok " + tag);
      ch.basicPublish("", q, null, bytes("after"));
      assertThat(drain(ch, q)).containsExactly("after");
      assertThat(events).isEmpty();
      assertThat(ch.consumerCount(q)).isZero();
    }

    @Test
    void cancellingAnUnknownTagAnswersCancelOk() throws Exception {
      var reply = ch.rpc(new AMQP.Basic.Cancel.Builder().consumerTag("never-consumed").build()).getMethod();
      assertThat(reply).isInstanceOf(AMQP.Basic.CancelOk.class);
      assertThat(((AMQP.Basic.CancelOk) reply).getConsumerTag()).isEqualTo("never-consumed");
    }

    @Test
    void unackedDeliveriesOfACancelledConsumerStayUnackedAndCanBeAcked() throws Exception {
      String q = queue();
      for (int i = 1; i <= 2; i++) {
        ch.basicPublish("", q, null, bytes("m" + i));
      }
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      String tag = ch.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
      List<Delivery> ds = take(got, 2);
      ch.basicCancel(tag);
      ch.basicAck(ds.get(1).getEnvelope().getDeliveryTag(), true);
      assertThat(ch.queueDeclarePassive(q).getMessageCount()).isZero();
      ch.close();
      assertThat(drain(conn.createChannel(), q)).isEmpty();
    }

    @Test
    void deletingTheQueueOnTheConsumersOwnChannelCancelsTheConsumer() throws Exception {
      String q = queue();
      LinkedBlockingQueue<String> cancelled = new LinkedBlockingQueue<>();
      String tag = ch.basicConsume(q, true, (t, d) -> { }, cancelled::add);
      ch.queueDelete(q);
      assertThat(cancelled.poll(10, TimeUnit.SECONDS)).isEqualTo(tag);
    }

    @Test
    void aTagMayBeReusedOnceItsConsumerIsCancelled() throws Exception {
      String q = queue();
      ch.basicConsume(q, true, "again", (t, d) -> { }, t -> { });
      ch.basicCancel("again");
      assertThat(ch.basicConsume(q, true, "again", (t, d) -> { }, t -> { })).isEqualTo("again");
    }

    @Test
    void aTagCancelledByTheBrokerMayBeReused() throws Exception {
      String q = queue();
      LinkedBlockingQueue<String> cancelled = new LinkedBlockingQueue<>();
      ch.basicConsume(q, true, "reused", (t, d) -> { }, cancelled::add);
      ch.queueDelete(q);
      assertThat(cancelled.poll(10, TimeUnit.SECONDS)).isEqualTo("reused");
      String q2 = queue();
      assertThat(ch.basicConsume(q2, true, "reused", (t, d) -> { }, t -> { })).isEqualTo("reused");
    }

    @Test
    void ackingADeliveryOfADeletedQueueIsHarmless() throws Exception {
      String q = queue();
      ch.basicPublish("", q, null, bytes("m"));
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      Channel consumer = conn.createChannel();
      consumer.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
      Delivery d = take(got, 1).get(0);
      ch.queueDelete(q);
      consumer.basicAck(d.getEnvelope().getDeliveryTag(), false);
      assertThat(consumer.queueDeclare().getQueue()).startsWith("amq.gen-");
    }

    @Test
    void theBrokerCancelsConsumersOfADeletedQueue() throws Exception {
      String q = queue();
      LinkedBlockingQueue<String> cancelled = new LinkedBlockingQueue<>();
      Channel consumerChannel = conn.createChannel();
      String tag = consumerChannel.basicConsume(q, true, (t, d) -> { }, cancelled::add);
      ch.queueDelete(q);
      assertThat(cancelled.poll(10, TimeUnit.SECONDS)).isEqualTo(tag);
      assertThat(consumerChannel.isOpen()).isTrue();
      // the channel keeps working after the cancel
      assertThat(consumerChannel.queueDeclare().getQueue()).startsWith("amq.gen-");
    }
  }

  @Nested
  class Delivering {
    @Test
    void deliverCarriesTheTagExchangeRoutingKeyAndAChannelWideDeliveryTag() throws Exception {
      String q = queue();
      String x = unique("x");
      ch.exchangeDeclare(x, "direct");
      ch.queueBind(q, x, "rk");
      ch.basicPublish("", q, null, bytes("m1"));
      assertThat(ch.basicGet(q, false).getEnvelope().getDeliveryTag()).isEqualTo(1);
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<String> tags = new LinkedBlockingQueue<>();
      ch.basicConsume(q, false, "c-tag", (t, d) -> {
        tags.add(t);
        got.add(d);
      }, t -> { });
      ch.basicPublish(x, "rk", null, bytes("m2"));
      Delivery d = got.poll(10, TimeUnit.SECONDS);
      assertThat(tags.poll()).isEqualTo("c-tag");
      assertThat(d.getEnvelope().getDeliveryTag()).isEqualTo(2);
      assertThat(d.getEnvelope().getExchange()).isEqualTo(x);
      assertThat(d.getEnvelope().getRoutingKey()).isEqualTo("rk");
      assertThat(d.getEnvelope().isRedeliver()).isFalse();
      assertThat(text(d.getBody())).isEqualTo("m2");
    }

    @Test
    void messagesWaitingBeforeTheConsumerArrivesAreDeliveredInOrder() throws Exception {
      String q = queue();
      for (int i = 1; i <= 20; i++) {
        ch.basicPublish("", q, null, bytes("m" + i));
      }
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      consume(ch, q, "", got);
      assertThat(take(got, 20).stream().map(d -> text(d.getBody())).toList())
          .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> "m" + i).toList());
    }

    @Test
    void consumersOfOneQueueAreServedRoundRobin() throws Exception {
      String q = queue();
      LinkedBlockingQueue<Delivery> a = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<Delivery> b = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<Delivery> c = new LinkedBlockingQueue<>();
      consume(ch, q, "a", a);
      consume(conn.createChannel(), q, "b", b);
      consume(ch, q, "c", c);
      for (int i = 1; i <= 9; i++) {
        ch.basicPublish("", q, null, bytes("m" + i));
      }
      assertThat(take(a, 3).stream().map(d -> text(d.getBody())).toList()).containsExactly("m1", "m4", "m7");
      assertThat(take(b, 3).stream().map(d -> text(d.getBody())).toList()).containsExactly("m2", "m5", "m8");
      assertThat(take(c, 3).stream().map(d -> text(d.getBody())).toList()).containsExactly("m3", "m6", "m9");
    }

    @Test
    void aCancelledConsumerLeavesTheRotationWithoutDisturbingIt() throws Exception {
      String q = queue();
      LinkedBlockingQueue<Delivery> a = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<Delivery> b = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<Delivery> c = new LinkedBlockingQueue<>();
      consume(ch, q, "a", a);
      consume(ch, q, "b", b);
      consume(ch, q, "c", c);
      ch.basicPublish("", q, null, bytes("m1"));
      ch.basicPublish("", q, null, bytes("m2"));
      assertThat(text(take(a, 1).get(0).getBody())).isEqualTo("m1");
      assertThat(text(take(b, 1).get(0).getBody())).isEqualTo("m2");
      ch.basicCancel("a");
      for (int i = 3; i <= 6; i++) {
        ch.basicPublish("", q, null, bytes("m" + i));
      }
      assertThat(take(c, 2).stream().map(d -> text(d.getBody())).toList()).containsExactly("m3", "m5");
      assertThat(take(b, 2).stream().map(d -> text(d.getBody())).toList()).containsExactly("m4", "m6");
    }

    @Test
    void aNewConsumerJoinsTheRotationBehindTheOthers() throws Exception {
      // RabbitMQ keeps its consumers in a queue: a served consumer goes to the back, a new one
      // joins at the back
      String q = queue();
      LinkedBlockingQueue<Delivery> a = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<Delivery> b = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<Delivery> c = new LinkedBlockingQueue<>();
      consume(ch, q, "a", a);
      consume(ch, q, "b", b);
      ch.basicPublish("", q, null, bytes("m1"));
      assertThat(text(take(a, 1).get(0).getBody())).isEqualTo("m1");
      consume(ch, q, "c", c);
      for (int i = 2; i <= 7; i++) {
        ch.basicPublish("", q, null, bytes("m" + i));
      }
      assertThat(take(b, 2).stream().map(d -> text(d.getBody())).toList()).containsExactly("m2", "m5");
      assertThat(take(a, 2).stream().map(d -> text(d.getBody())).toList()).containsExactly("m3", "m6");
      assertThat(take(c, 2).stream().map(d -> text(d.getBody())).toList()).containsExactly("m4", "m7");
    }

    @Test
    void aNoAckConsumerLeavesNothingToAcknowledge() throws Exception {
      String q = queue();
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      Channel c = conn.createChannel();
      consume(c, q, "", got);
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(got.poll(10, TimeUnit.SECONDS)).isNotNull();
      c.close();
      assertThat(drain(ch, q)).isEmpty();
    }
  }
}
