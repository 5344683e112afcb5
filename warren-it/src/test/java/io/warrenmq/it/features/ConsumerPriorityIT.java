package io.warrenmq.it.features;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import io.warrenmq.it.support.BrokerExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consumer priorities (basic.consume argument x-priority), as RabbitMQ: the highest-priority
 * consumers get the messages while they have prefetch credit, lower ones only while the higher
 * ones are blocked, and consumers of equal priority share round-robin.
 */
class ConsumerPriorityIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;
  String q;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    q = unique("cprio");
    ch.queueDeclare(q, false, false, false, null);
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  /** A manual-ack consumer with {@code prefetch} on a channel of its own. */
  Recorder consumer(int prefetch, Integer priority) throws Exception {
    Channel c = conn.createChannel();
    c.basicQos(prefetch);
    Recorder r = new Recorder(c);
    c.basicConsume(q, false, "", false, false, priority == null ? Map.of() : Map.of("x-priority", priority), r);
    return r;
  }

  void publish(int from, int to) throws Exception {
    for (int i = from; i <= to; i++) {
      ch.basicPublish("", q, null, bytes("m" + i));
    }
  }

  @Test
  void theHigherPriorityConsumerGetsMessagesWhileItHasCreditAndTheLowerOneTheRest() throws Exception {
    Recorder low = consumer(100, null);
    Recorder high = consumer(2, 10);
    publish(1, 5);
    assertThat(high.bodies(2)).containsExactly("m1", "m2");
    assertThat(low.bodies(3)).containsExactly("m3", "m4", "m5");
    assertThat(high.deliveries).isEmpty();
  }

  @Test
  void aBlockedHigherPriorityConsumerIsServedAgainOnceItAcknowledges() throws Exception {
    Recorder low = consumer(100, 1);
    Recorder high = consumer(1, 2);
    publish(1, 2);
    Delivery first = high.take(1).getFirst();
    assertThat(low.bodies(1)).containsExactly("m2");
    high.getChannel().basicAck(first.getEnvelope().getDeliveryTag(), false);
    high.getChannel().queueDeclarePassive(q); // the ack is processed before this answer
    publish(3, 3);
    assertThat(high.bodies(1)).containsExactly("m3");
    assertThat(low.deliveries).isEmpty();
  }

  @Test
  void consumersOfEqualPriorityShareRoundRobinAndALowerOneWithCreditGetsNothing() throws Exception {
    Recorder a = consumer(100, 5);
    Recorder b = consumer(100, 5);
    Recorder low = consumer(100, null);
    publish(1, 6);
    assertThat(a.bodies(3)).containsExactly("m1", "m3", "m5");
    assertThat(b.bodies(3)).containsExactly("m2", "m4", "m6");
    assertThat(low.deliveries).isEmpty();
  }

  @Test
  void aNegativePriorityConsumerOnlyGetsWhatTheDefaultPriorityOnesCannotTake() throws Exception {
    Recorder negative = consumer(100, -5);
    Recorder normal = consumer(1, null);
    publish(1, 3);
    assertThat(normal.bodies(1)).containsExactly("m1");
    assertThat(negative.bodies(2)).containsExactly("m2", "m3");
  }

  @Test
  void messagesWaitingBeforeTheConsumersArriveGoToTheHighestPriorityOneFirst() throws Exception {
    publish(1, 3);
    Channel c = conn.createChannel();
    Recorder low = new Recorder(c);
    Recorder high = new Recorder(c);
    // both on one channel with a global prefetch of 2: the high one gets them until the channel is full
    c.basicQos(2, true);
    c.basicConsume(q, false, "", false, false, Map.of("x-priority", 1), low);
    assertThat(low.bodies(2)).containsExactly("m1", "m2");
    c.basicConsume(q, false, "", false, false, Map.of("x-priority", 9), high);
    c.basicAck(0, true);
    assertThat(high.bodies(1)).containsExactly("m3");
    assertThat(low.deliveries).isEmpty();
  }
}
