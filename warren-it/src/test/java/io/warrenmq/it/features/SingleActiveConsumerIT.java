package io.warrenmq.it.features;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import io.warrenmq.it.support.BrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Single active consumer (x-single-active-consumer) on a classic queue, as RabbitMQ's
 * rabbit_amqqueue_process: one consumer receives everything; when it is cancelled or its channel
 * or connection goes, the next waiting one (highest priority, then oldest) takes over and gets the
 * messages the old one left unacknowledged once they are back in the queue.
 */
class SingleActiveConsumerIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;
  String q;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    q = unique("sac");
    ch.queueDeclare(q, false, false, false, Map.of("x-single-active-consumer", true));
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  Recorder consumer(Connection c, Map<String, Object> args) throws Exception {
    Channel channel = c.createChannel();
    channel.basicQos(10);
    Recorder r = new Recorder(channel);
    channel.basicConsume(q, false, "", false, false, args, r);
    return r;
  }

  Recorder consumer() throws Exception {
    return consumer(conn, Map.of());
  }

  void publish(String... bodies) throws Exception {
    for (String b : bodies) {
      ch.basicPublish("", q, null, bytes(b));
    }
  }

  static List<Boolean> redelivered(List<Delivery> ds) {
    return ds.stream().map(d -> d.getEnvelope().isRedeliver()).toList();
  }

  static List<String> bodies(List<Delivery> ds) {
    return ds.stream().map(d -> text(d.getBody())).toList();
  }

  @Test
  void onlyTheFirstConsumerReceivesMessages() throws Exception {
    Recorder first = consumer();
    Recorder second = consumer();
    publish("m1", "m2", "m3", "m4");
    assertThat(first.bodies(4)).containsExactly("m1", "m2", "m3", "m4");
    assertThat(second.deliveries).isEmpty();
  }

  @Test
  void whenTheActiveConsumerIsCancelledTheNextTakesOverAndGetsWhatTheOldOneRequeues() throws Exception {
    Recorder first = consumer();
    Recorder second = consumer();
    publish("m1", "m2");
    List<Delivery> held = first.take(2);
    first.getChannel().basicCancel(first.getConsumerTag());
    publish("m3");
    assertThat(second.bodies(1)).containsExactly("m3");
    // as in RabbitMQ, a cancelled consumer's unacked messages stay with its channel until settled
    assertThat(ch.queueDeclarePassive(q).getMessageCount()).isZero();
    first.getChannel().basicNack(held.get(1).getEnvelope().getDeliveryTag(), true, true);
    List<Delivery> again = second.take(2);
    assertThat(bodies(again)).containsExactly("m1", "m2");
    assertThat(redelivered(again)).containsExactly(true, true);
  }

  @Test
  void whenTheActiveConsumersChannelClosesItsUnackedMessagesGoToTheNextInOrder() throws Exception {
    Recorder first = consumer();
    Recorder second = consumer();
    publish("m1", "m2", "m3");
    first.take(3);
    first.getChannel().basicAck(1, false);
    first.getChannel().close();
    List<Delivery> again = second.take(2);
    assertThat(bodies(again)).containsExactly("m2", "m3");
    assertThat(redelivered(again)).containsExactly(true, true);
    publish("m4");
    assertThat(second.bodies(1)).containsExactly("m4");
  }

  @Test
  void whenTheActiveConsumersConnectionClosesTheNextTakesOver() throws Exception {
    Connection other = broker.factory().newConnection();
    Recorder first = consumer(other, Map.of());
    Recorder second = consumer();
    publish("m1");
    assertThat(first.bodies(1)).containsExactly("m1");
    other.close();
    Delivery again = second.take(1).getFirst();
    assertThat(text(again.getBody())).isEqualTo("m1");
    assertThat(again.getEnvelope().isRedeliver()).isTrue();
  }

  @Test
  void theOldestWaitingConsumerIsNextInLine() throws Exception {
    Recorder first = consumer();
    Recorder second = consumer();
    Recorder third = consumer();
    first.getChannel().basicCancel(first.getConsumerTag());
    publish("m1", "m2");
    assertThat(second.bodies(2)).containsExactly("m1", "m2");
    assertThat(third.deliveries).isEmpty();
  }

  @Test
  void aLaterConsumerWithAHigherPriorityDoesNotTakeOverButIsNextInLine() throws Exception {
    Recorder first = consumer();
    Recorder second = consumer();
    Recorder urgent = consumer(conn, Map.of("x-priority", 10));
    publish("m1");
    assertThat(first.bodies(1)).containsExactly("m1");
    first.getChannel().basicCancel(first.getConsumerTag());
    publish("m2");
    assertThat(urgent.bodies(1)).containsExactly("m2");
    assertThat(second.deliveries).isEmpty();
  }

  @Test
  void anExclusiveConsumeOnASingleActiveConsumerQueueIsRefusedWith403() {
    assertThat(channelCloseOf(() -> conn.createChannel().basicConsume(q, false, "", false, true, Map.of(),
        new Recorder(ch))))
        .isEqualTo("403 ACCESS_REFUSED - queue '" + q + "' in vhost '/' in exclusive use");
  }
}
