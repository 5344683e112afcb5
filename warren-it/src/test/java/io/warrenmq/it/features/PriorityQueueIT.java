package io.warrenmq.it.features;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
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
 * Priority queues (x-max-priority), as RabbitMQ's rabbit_priority_queue: higher priorities first,
 * FIFO within a priority, no priority counts as 0, a priority above the maximum as the maximum,
 * requeued messages back at their place within their priority, and all of it across a restart.
 */
class PriorityQueueIT {
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
    if (conn != null) {
      conn.abort();
    }
  }

  String priorityQueue(int max) throws Exception {
    String q = unique("prio");
    ch.queueDeclare(q, false, false, false, Map.of("x-max-priority", max));
    return q;
  }

  void publish(Channel c, String q, Integer priority, String body) throws Exception {
    c.basicPublish("", q, new AMQP.BasicProperties.Builder().priority(priority).build(), bytes(body));
  }

  /** Every ready message, taken with basic.get and auto-ack, in order. */
  static List<String> drain(Channel c, String q) throws Exception {
    List<String> out = new ArrayList<>();
    GetResponse r;
    while ((r = c.basicGet(q, true)) != null) {
      out.add(text(r.getBody()));
    }
    return out;
  }

  @Nested
  class MaxPriority {
    @Test
    void aMaximumOf255IsAccepted() throws Exception {
      String q = priorityQueue(255);
      publish(ch, q, 255, "top");
      publish(ch, q, 254, "below");
      assertThat(drain(ch, q)).containsExactly("top", "below");
    }

    @Test
    void aMaximumOf256IsRefusedWith406() {
      String q = unique("prio");
      assertThat(channelCloseOf(() -> ch.queueDeclare(q, false, false, false, Map.of("x-max-priority", 256))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-max-priority' for queue '" + q
              + "' in vhost '/': {max_value_exceeded,256}");
    }
  }

  @Nested
  class Ordering {
    @Test
    void aMessageWithoutPriorityIsServedAsPriorityZero() throws Exception {
      String q = priorityQueue(5);
      publish(ch, q, null, "none-1");
      publish(ch, q, 0, "zero");
      publish(ch, q, 1, "one");
      publish(ch, q, null, "none-2");
      assertThat(drain(ch, q)).containsExactly("one", "none-1", "zero", "none-2");
    }

    @Test
    void aPriorityAboveTheMaximumCountsAsTheMaximumAndIsDeliveredUnchanged() throws Exception {
      String q = priorityQueue(3);
      publish(ch, q, 3, "three");
      publish(ch, q, 200, "two-hundred");
      publish(ch, q, 2, "two");
      publish(ch, q, 3, "three-again");
      GetResponse first = ch.basicGet(q, true);
      GetResponse second = ch.basicGet(q, true);
      assertThat(text(first.getBody())).isEqualTo("three");
      assertThat(text(second.getBody())).isEqualTo("two-hundred");
      assertThat(second.getProps().getPriority()).isEqualTo(200);
      assertThat(drain(ch, q)).containsExactly("three-again", "two");
    }

    @Test
    void aConsumerReceivesTheHighestPriorityWaitingMessageFirst() throws Exception {
      String q = priorityQueue(10);
      for (int p : new int[] {0, 7, 3, 10, 7}) {
        publish(ch, q, p, "p" + p + "-" + unique("m"));
      }
      Recorder r = new Recorder(ch);
      ch.basicConsume(q, true, r);
      assertThat(r.bodies(5)).extracting(s -> s.substring(0, s.indexOf('-')))
          .containsExactly("p10", "p7", "p7", "p3", "p0");
    }
  }

  @Nested
  class Requeue {
    @Test
    void requeuedMessagesGoBackToTheirPlaceWithinTheirPriority() throws Exception {
      String q = priorityQueue(10);
      publish(ch, q, 5, "a");
      publish(ch, q, 5, "b");
      publish(ch, q, 5, "c");
      publish(ch, q, 1, "low");
      GetResponse a = ch.basicGet(q, false);
      GetResponse b = ch.basicGet(q, false);
      publish(ch, q, 5, "d");
      publish(ch, q, 9, "high");
      ch.basicReject(b.getEnvelope().getDeliveryTag(), true);
      ch.basicNack(a.getEnvelope().getDeliveryTag(), false, true);
      List<String> order = new ArrayList<>();
      List<Boolean> redelivered = new ArrayList<>();
      GetResponse r;
      while ((r = ch.basicGet(q, true)) != null) {
        order.add(text(r.getBody()));
        redelivered.add(r.getEnvelope().isRedeliver());
      }
      assertThat(order).containsExactly("high", "a", "b", "c", "d", "low");
      assertThat(redelivered).containsExactly(false, true, true, false, false, false);
    }

    @Test
    void messagesRequeuedByAClosingChannelKeepTheirPriorityOrder() throws Exception {
      String q = priorityQueue(10);
      publish(ch, q, 2, "two");
      publish(ch, q, 8, "eight");
      publish(ch, q, 5, "five");
      Channel consumer = conn.createChannel();
      consumer.basicQos(3);
      Recorder r = new Recorder(consumer);
      consumer.basicConsume(q, false, r);
      assertThat(r.bodies(3)).containsExactly("eight", "five", "two");
      consumer.close();
      assertThat(drain(ch, q)).containsExactly("eight", "five", "two");
    }
  }

  @Nested
  class Durability {
    @Test
    void aDurablePriorityQueueKeepsItsMessagesInPriorityOrderAcrossARestart() throws Exception {
      String q = unique("prio-durable");
      ch.queueDeclare(q, true, false, false, Map.of("x-max-priority", 10));
      int[] priorities = {1, 9, 5, 9, 0};
      for (int i = 0; i < priorities.length; i++) {
        ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC.builder().priority(priorities[i]).build(),
            bytes("m" + i + "-p" + priorities[i]));
      }
      ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, bytes("m5-none"));
      conn.close();
      broker.restart();
      conn = broker.factory().newConnection();
      ch = conn.createChannel();
      // redeclaring with the same x-max-priority is equivalent
      assertThat(ch.queueDeclare(q, true, false, false, Map.of("x-max-priority", 10)).getMessageCount()).isEqualTo(6);
      assertThat(drain(ch, q)).containsExactly("m1-p9", "m3-p9", "m2-p5", "m0-p1", "m4-p0", "m5-none");
    }
  }
}
