package io.warrenmq.it.queue;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** queue.purge and queue.delete (if-unused, if-empty, counts), as RabbitMQ answers them. */
class QueuePurgeDeleteIT {
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

  @Nested
  class Purge {
    @Test
    void purgeAnswersTheCountOfReadyMessagesAndEmptiesTheQueue() throws Exception {
      String q = queueWith(5);
      assertThat(ch.queuePurge(q).getMessageCount()).isEqualTo(5);
      assertThat(ch.messageCount(q)).isZero();
      assertThat(ch.queuePurge(q).getMessageCount()).isZero();
    }

    @Test
    void purgeLeavesUnackedMessagesWhichComeBackWhenRequeued() throws Exception {
      String q = queueWith(3);
      GetResponse held = ch.basicGet(q, false);
      assertThat(ch.queuePurge(q).getMessageCount()).isEqualTo(2);
      ch.basicNack(held.getEnvelope().getDeliveryTag(), false, true);
      GetResponse back = ch.basicGet(q, true);
      assertThat(new String(back.getBody())).isEqualTo("m1");
      assertThat(back.getEnvelope().isRedeliver()).isTrue();
      assertThat(ch.basicGet(q, true)).isNull();
    }

    @Test
    void purgingAMissingQueueIs404() {
      assertThat(channelCloseOf(() -> ch.queuePurge("no-such-q")))
          .isEqualTo("404 NOT_FOUND - no queue 'no-such-q' in vhost '/'");
    }

    @Test
    void newMessagesAfterAPurgeAreDelivered() throws Exception {
      String q = queueWith(2);
      ch.queuePurge(q);
      ch.basicPublish("", q, null, bytes("after"));
      assertThat(drain(ch, q)).containsExactly("after");
    }
  }

  @Nested
  class Delete {
    @Test
    void deleteAnswersTheCountOfReadyMessages() throws Exception {
      String q = queueWith(4);
      GetResponse unacked = ch.basicGet(q, false);
      assertThat(unacked).isNotNull();
      assertThat(ch.queueDelete(q).getMessageCount()).isEqualTo(3);
      assertThat(channelCloseOf(() -> ch.queueDeclarePassive(q)))
          .isEqualTo("404 NOT_FOUND - no queue '" + q + "' in vhost '/'");
    }

    @Test
    void deletingAMissingQueueAnswersZero() throws Exception {
      assertThat(ch.queueDelete("no-such-q").getMessageCount()).isZero();
      assertThat(ch.queueDelete("no-such-q", true, true).getMessageCount()).isZero();
    }

    @Test
    void ifUnusedRefusesAQueueWithAConsumerWith406() throws Exception {
      String q = queueWith(0);
      Channel consumer = conn.createChannel();
      consumer.basicConsume(q, true, (t, d) -> { }, t -> { });
      assertThat(channelCloseOf(() -> ch.queueDelete(q, true, false)))
          .isEqualTo("406 PRECONDITION_FAILED - queue '" + q + "' in vhost '/' in use");
      assertThat(consumer.queueDeclarePassive(q).getConsumerCount()).isEqualTo(1);
    }

    @Test
    void ifUnusedDeletesAQueueWithoutConsumers() throws Exception {
      String q = queueWith(2);
      assertThat(ch.queueDelete(q, true, false).getMessageCount()).isEqualTo(2);
    }

    @Test
    void ifEmptyRefusesAQueueWithReadyMessagesWith406() throws Exception {
      String q = queueWith(1);
      assertThat(channelCloseOf(() -> ch.queueDelete(q, false, true)))
          .isEqualTo("406 PRECONDITION_FAILED - queue '" + q + "' in vhost '/' not empty");
    }

    @Test
    void ifEmptyCountsOnlyReadyMessages() throws Exception {
      String q = queueWith(1);
      assertThat(ch.basicGet(q, false)).isNotNull();
      assertThat(ch.queueDelete(q, false, true).getMessageCount()).isZero();
    }

    @Test
    void deletingAQueueCancelsItsConsumersWithABasicCancel() throws Exception {
      String q = queueWith(0);
      Channel consumerChannel = conn.createChannel();
      LinkedBlockingQueue<String> cancelled = new LinkedBlockingQueue<>();
      String tag = consumerChannel.basicConsume(q, false, new DefaultConsumer(consumerChannel) {
        @Override
        public void handleCancel(String consumerTag) {
          cancelled.add(consumerTag);
        }
      });
      ch.queueDelete(q);
      assertThat(cancelled.poll(10, TimeUnit.SECONDS)).isEqualTo(tag);
      assertThat(consumerChannel.isOpen()).isTrue();
    }

    @Test
    void deletingAQueueRemovesItsBindings() throws Exception {
      String x = unique("x");
      ch.exchangeDeclare(x, "fanout");
      String q = queueWith(0);
      ch.queueBind(q, x, "");
      ch.queueDelete(q);
      ch.queueDeclare(q, false, false, false, null);
      ch.basicPublish(x, "", null, bytes("not routed to the new queue"));
      assertThat(drain(ch, q)).isEmpty();
      ch.exchangeDelete(x, true); // no bindings left
    }

    @Test
    void aDeletedQueueCanBeDeclaredAgainEmpty() throws Exception {
      String q = queueWith(3);
      ch.queueDelete(q);
      assertThat(ch.queueDeclare(q, false, false, false, null).getMessageCount()).isZero();
      ch.basicPublish("", q, null, bytes("fresh"));
      assertThat(drain(ch, q)).containsExactly("fresh");
    }
  }
}
