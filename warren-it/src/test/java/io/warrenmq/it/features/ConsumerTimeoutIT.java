package io.warrenmq.it.features;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.CloseReasons;
import io.warrenmq.it.support.Eventually;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WarrenMQ's consumer timeout (x-consumer-timeout on the queue, its policy key consumer-timeout,
 * or the consumer's own argument): a consumer that holds a delivery unacknowledged for too long is
 * cancelled with basic.cancel and its unacknowledged messages go back to the queue, while the
 * channel and its other consumers carry on. These tests fail on RabbitMQ, which closes the whole
 * channel with 406 "delivery acknowledgement on channel N timed out" for a classic queue.
 */
class ConsumerTimeoutIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    ch.basicQos(10);
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  String queue(Map<String, Object> args) throws Exception {
    String q = unique("timeout");
    ch.queueDeclare(q, false, false, false, args);
    return q;
  }

  @Test
  void onlyTheTimedOutConsumerIsCancelledAndItsChannelKeepsWorking() throws Exception {
    String slow = queue(Map.of("x-consumer-timeout", 300));
    String plain = queue(Map.of());
    Recorder stuck = new Recorder(ch);
    Recorder other = new Recorder(ch);
    String stuckTag = ch.basicConsume(slow, false, stuck);
    ch.basicConsume(plain, false, other);
    ch.basicPublish("", slow, null, bytes("held"));
    ch.basicPublish("", plain, null, bytes("p1"));
    Delivery held = stuck.take(1).getFirst();
    Delivery p1 = other.take(1).getFirst();

    assertThat(stuck.cancelled()).isEqualTo(stuckTag);
    assertThat(ch.isOpen()).isTrue();
    ch.basicPublish("", plain, null, bytes("p2"));
    assertThat(other.bodies(1)).containsExactly("p2");
    assertThat(other.cancels).isEmpty();

    // the held message is back in its queue, for someone else
    Channel rescuer = conn.createChannel();
    GetResponse again = rescuer.basicGet(slow, false);
    assertThat(again).isNotNull();
    assertThat(text(again.getBody())).isEqualTo("held");
    assertThat(again.getEnvelope().isRedeliver()).isTrue();

    // a late ack of the timed-out delivery neither closes the channel nor settles the new copy
    ch.basicAck(held.getEnvelope().getDeliveryTag(), false);
    ch.basicAck(p1.getEnvelope().getDeliveryTag(), false);
    assertThat(ch.queueDeclarePassive(plain).getMessageCount()).isZero();
    assertThat(ch.isOpen()).isTrue();
    rescuer.basicNack(again.getEnvelope().getDeliveryTag(), false, true);
    assertThat(rescuer.queueDeclarePassive(slow).getMessageCount()).isEqualTo(1);
  }

  @Test
  void aShortTimeoutFiresEvenBehindAnOlderDeliveryWithALongerTimeoutOnTheSameChannel() throws Exception {
    String patient = queue(Map.of("x-consumer-timeout", 600_000));
    String hasty = queue(Map.of("x-consumer-timeout", 200));
    Recorder slow = new Recorder(ch);
    Recorder quick = new Recorder(ch);
    ch.basicConsume(patient, false, slow);
    String quickTag = ch.basicConsume(hasty, false, quick);
    ch.basicPublish("", patient, null, bytes("older"));
    slow.take(1);
    ch.basicPublish("", hasty, null, bytes("younger"));
    quick.take(1);
    assertThat(quick.cancelled()).isEqualTo(quickTag);
    assertThat(slow.cancels).isEmpty();
  }

  @Test
  void deliveriesHeldPastTheTimeoutByAConsumerTheClientCancelledGoBackWithoutACancelForItsReusedTag()
      throws Exception {
    String slow = queue(Map.of("x-consumer-timeout", 200));
    String other = queue(Map.of());
    Recorder first = new Recorder(ch);
    ch.basicConsume(slow, false, "a", first);
    ch.basicPublish("", slow, null, bytes("held"));
    first.take(1);
    ch.basicCancel("a");
    Recorder reused = new Recorder(ch);
    ch.basicConsume(other, false, "a", reused);
    // a consumer with a timeout keeps the channel's checks running
    ch.basicConsume(queue(Map.of("x-consumer-timeout", 200)), false, new Recorder(ch));
    Eventually.eventually("the held message is back in its queue", () -> {
      try {
        return ch.queueDeclarePassive(slow).getMessageCount() == 1;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    ch.basicPublish("", other, null, bytes("for the new a"));
    assertThat(reused.bodies(1)).containsExactly("for the new a");
    assertThat(reused.cancels).isEmpty();
    assertThat(first.cancels).isEmpty();
  }

  @Test
  void theConsumersOwnArgumentSetsATimeoutOnAQueueWithout() throws Exception {
    String q = queue(Map.of());
    Recorder r = new Recorder(ch);
    String tag = ch.basicConsume(q, false, "", false, false, Map.of("x-consumer-timeout", 200), r);
    ch.basicPublish("", q, null, bytes("m"));
    r.take(1);
    assertThat(r.cancelled()).isEqualTo(tag);
    assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(1);
  }

  @Test
  void aConsumerThatAcknowledgesInTimeIsNotCancelled() throws Exception {
    String q = queue(Map.of("x-consumer-timeout", 200));
    Recorder prompt = new Recorder(ch, true);
    ch.basicConsume(q, false, prompt);
    ch.basicPublish("", q, null, bytes("m1"));
    assertThat(prompt.bodies(1)).containsExactly("m1");
    // a second consumer holding its delivery shows that timeouts were checked meanwhile
    String probeQueue = queue(Map.of("x-consumer-timeout", 200));
    Recorder probe = new Recorder(ch);
    ch.basicConsume(probeQueue, false, probe);
    ch.basicPublish("", probeQueue, null, bytes("probe"));
    probe.take(1);
    probe.cancelled();
    assertThat(prompt.cancels).isEmpty();
    ch.basicPublish("", q, null, bytes("m2"));
    assertThat(prompt.bodies(1)).containsExactly("m2");
  }

  @Test
  void aPolicySetsTheTimeoutOfAQueue() throws Exception {
    String q = queue(Map.of());
    Ctl.ok(broker, "set_policy", "--apply-to", "queues", unique("timeout-policy"), "^" + q + "$",
        "{\"consumer-timeout\": 200}");
    Recorder r = new Recorder(ch);
    String tag = ch.basicConsume(q, false, r);
    ch.basicPublish("", q, null, bytes("m"));
    r.take(1);
    assertThat(r.cancelled()).isEqualTo(tag);
  }

  @Test
  void whenTheSingleActiveConsumerTimesOutTheNextTakesOverWithItsMessage() throws Exception {
    String q = queue(Map.of("x-single-active-consumer", true, "x-consumer-timeout", 200));
    Recorder stuck = new Recorder(ch);
    String stuckTag = ch.basicConsume(q, false, stuck);
    Channel other = conn.createChannel();
    Recorder next = new Recorder(other, true);
    other.basicConsume(q, false, next);
    ch.basicPublish("", q, null, bytes("m1"));
    stuck.take(1);
    assertThat(stuck.cancelled()).isEqualTo(stuckTag);
    Delivery again = next.take(1).getFirst();
    assertThat(text(again.getBody())).isEqualTo("m1");
    assertThat(again.getEnvelope().isRedeliver()).isTrue();
    ch.basicPublish("", q, null, bytes("m2"));
    assertThat(next.bodies(1)).containsExactly("m2");
  }

  @Test
  void aClientWithoutConsumerCancelNotifyHasTheChannelClosedAsRabbitMqDoes() throws Exception {
    ConnectionFactory f = broker.factory();
    Map<String, Object> props = new HashMap<>(f.getClientProperties());
    @SuppressWarnings("unchecked")
    Map<String, Object> caps = new HashMap<>((Map<String, Object>) props.get("capabilities"));
    caps.put("consumer_cancel_notify", false);
    props.put("capabilities", caps);
    f.setClientProperties(props);
    String q = queue(Map.of("x-consumer-timeout", 200));
    try (Connection old = f.newConnection()) {
      Channel c = old.createChannel();
      BlockingQueue<ShutdownSignalException> closed = new LinkedBlockingQueue<>();
      c.addShutdownListener(closed::add);
      Recorder r = new Recorder(c);
      c.basicConsume(q, false, r);
      ch.basicPublish("", q, null, bytes("m"));
      r.take(1);
      ShutdownSignalException e = closed.poll(10, TimeUnit.SECONDS);
      assertThat(e).isNotNull();
      assertThat(CloseReasons.codeAndText(CloseReasons.channelClose(e))).isEqualTo("406 PRECONDITION_FAILED - delivery"
          + " acknowledgement on channel " + c.getChannelNumber() + " timed out. Timeout value used: 200 ms. This"
          + " timeout value can be configured, see consumers doc guide to learn more");
    }
    Eventually.eventually("the message is back in its queue", () -> {
      try {
        return ch.queueDeclarePassive(q).getMessageCount() == 1;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  @Test
  void aConsumerTimeoutArgumentThatIsNegativeOrNotAnIntegerIsRefusedWith406() throws Exception {
    String q = queue(Map.of());
    Channel c1 = conn.createChannel();
    assertThat(channelCloseOf(() -> c1.basicConsume(q, false, "", false, false, Map.of("x-consumer-timeout", -5),
        new Recorder(c1))))
        .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-consumer-timeout' for queue '" + q
            + "' in vhost '/': {value_negative,-5}");
    Channel c2 = conn.createChannel();
    assertThat(channelCloseOf(() -> c2.basicConsume(q, false, "", false, false, Map.of("x-consumer-timeout", "soon"),
        new Recorder(c2))))
        .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-consumer-timeout' for queue '" + q
            + "' in vhost '/': \"expected integer, got longstr\"");
  }

  @Test
  void aNegativeTimeoutIsRefusedWith406() {
    String q = unique("timeout");
    assertThat(channelCloseOf(() -> ch.queueDeclare(q, false, false, false, Map.of("x-consumer-timeout", -1))))
        .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-consumer-timeout' for queue '" + q
            + "' in vhost '/': {value_negative,-1}");
  }
}
