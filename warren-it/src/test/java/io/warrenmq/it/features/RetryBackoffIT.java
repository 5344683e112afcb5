package io.warrenmq.it.features;

import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warrenmq.it.support.BrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WarrenMQ's retry with back-off for classic queues (x-retry-delay, x-retry-multiplier,
 * x-retry-max-delay; policy keys retry-delay, retry-multiplier, retry-max-delay): a message nacked
 * or rejected with requeue is ready again only after its delay, which grows per redelivery up to
 * the maximum; messages behind it are not held up. Without the arguments it is back at once, as in
 * RabbitMQ; a channel closing or basic.recover requeues at once.
 */
class RetryBackoffIT {
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

  String queue(Map<String, Object> args) throws Exception {
    String q = unique("retry");
    ch.queueDeclare(q, false, false, false, args);
    return q;
  }

  long ready(String q) {
    try {
      return ch.queueDeclarePassive(q).getMessageCount();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  GetResponse awaitGet(String q) {
    GetResponse[] got = new GetResponse[1];
    eventually(Duration.ofSeconds(10), "a message in " + q, () -> {
      try {
        got[0] = ch.basicGet(q, false);
        return got[0] != null;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    return got[0];
  }

  @Test
  void withoutRetryArgumentsANackedMessageIsBackAtOnce() throws Exception {
    String q = queue(Map.of());
    ch.basicPublish("", q, null, bytes("m"));
    GetResponse first = ch.basicGet(q, false);
    ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
    GetResponse again = ch.basicGet(q, false);
    assertThat(again).isNotNull();
    assertThat(again.getEnvelope().isRedeliver()).isTrue();
  }

  @Test
  void aNackedMessageIsReadyAgainOnlyAfterItsDelayWhileTheOnesBehindItAreServed() throws Exception {
    String q = queue(Map.of("x-retry-delay", 700));
    ch.basicPublish("", q, null, bytes("m1"));
    ch.basicPublish("", q, null, bytes("m2"));
    GetResponse m1 = ch.basicGet(q, false);
    long nackedAt = System.nanoTime();
    ch.basicNack(m1.getEnvelope().getDeliveryTag(), false, true);
    GetResponse next = ch.basicGet(q, true);
    assertThat(text(next.getBody())).isEqualTo("m2");
    assertThat(ch.basicGet(q, true)).isNull();
    assertThat(ready(q)).isZero();
    GetResponse back = awaitGet(q);
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nackedAt);
    assertThat(text(back.getBody())).isEqualTo("m1");
    assertThat(back.getEnvelope().isRedeliver()).isTrue();
    assertThat(waited).isGreaterThanOrEqualTo(700 - 5);
  }

  @Test
  void theDelayGrowsByTheMultiplierAndIsCappedByTheMaximum() throws Exception {
    // 100 ms, then 100 x 100 = 10 s capped to 400 ms, and again 400 ms
    String q = queue(Map.of("x-retry-delay", 100, "x-retry-multiplier", 100, "x-retry-max-delay", 400));
    ch.basicPublish("", q, null, bytes("m"));
    Recorder r = new Recorder(ch);
    ch.basicConsume(q, false, r);
    List<Long> waits = new ArrayList<>();
    Delivery d = r.take(1).getFirst();
    for (int i = 0; i < 3; i++) {
      long nackedAt = System.nanoTime();
      ch.basicNack(d.getEnvelope().getDeliveryTag(), false, true);
      d = r.take(1).getFirst();
      waits.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nackedAt));
    }
    System.out.println("retry back-off waits (ms), expected about 100, 400, 400: " + waits);
    assertThat(waits.get(0)).isGreaterThanOrEqualTo(100 - 5);
    assertThat(waits.get(1)).isGreaterThanOrEqualTo(400 - 5).isLessThan(5_000);
    assertThat(waits.get(2)).isGreaterThanOrEqualTo(400 - 5).isLessThan(5_000);
  }

  @Test
  void rejectWithRequeueIsDelayedButRejectWithoutRequeueDeadLettersAtOnce() throws Exception {
    String dlx = unique("retry-dlx");
    String dead = queue(Map.of());
    ch.exchangeDeclare(dlx, "fanout");
    ch.queueBind(dead, dlx, "");
    String q = queue(Map.of("x-retry-delay", 60_000, "x-dead-letter-exchange", dlx));
    ch.basicPublish("", q, null, bytes("m1"));
    ch.basicPublish("", q, null, bytes("m2"));
    GetResponse m1 = ch.basicGet(q, false);
    ch.basicReject(m1.getEnvelope().getDeliveryTag(), true);
    GetResponse m2 = ch.basicGet(q, false);
    assertThat(text(m2.getBody())).isEqualTo("m2");
    ch.basicReject(m2.getEnvelope().getDeliveryTag(), false);
    eventually("m2 is dead-lettered", () -> ready(dead) == 1);
    assertThat(ready(q)).isZero();
  }

  @Test
  void aRetriedMessageOfAPriorityQueueComesBackAtItsPlaceWithinItsPriority() throws Exception {
    String q = queue(Map.of("x-max-priority", 9, "x-retry-delay", 100));
    for (String[] m : new String[][] {{"5", "a"}, {"5", "b"}, {"1", "c"}}) {
      ch.basicPublish("", q, MessageProperties.TEXT_PLAIN.builder().priority(Integer.parseInt(m[0])).build(),
          bytes(m[1]));
    }
    GetResponse a = ch.basicGet(q, false);
    assertThat(text(a.getBody())).isEqualTo("a");
    ch.basicNack(a.getEnvelope().getDeliveryTag(), false, true);
    eventually("the retried message is ready again", () -> ready(q) == 3);
    assertThat(drain(ch, q)).containsExactly("a", "b", "c");
  }

  @Test
  void aClosingChannelRequeuesAtOnceWithoutBackOff() throws Exception {
    String q = queue(Map.of("x-retry-delay", 60_000));
    ch.basicPublish("", q, null, bytes("m"));
    Channel holder = conn.createChannel();
    GetResponse held = holder.basicGet(q, false);
    assertThat(held).isNotNull();
    holder.close();
    GetResponse again = ch.basicGet(q, true);
    assertThat(again).isNotNull();
    assertThat(again.getEnvelope().isRedeliver()).isTrue();
  }

  @Test
  void retriesCountTowardsTheDeliveryLimit() throws Exception {
    String dlx = unique("retry-dlx");
    String dead = queue(Map.of());
    ch.exchangeDeclare(dlx, "fanout");
    ch.queueBind(dead, dlx, "");
    String q = queue(Map.of("x-retry-delay", 50, "x-delivery-limit", 1, "x-dead-letter-exchange", dlx));
    ch.basicPublish("", q, null, bytes("poison"));
    GetResponse first = ch.basicGet(q, false);
    ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
    GetResponse second = awaitGet(q);
    assertThat(second.getProps().getHeaders()).containsEntry("x-delivery-count", 1L);
    ch.basicNack(second.getEnvelope().getDeliveryTag(), false, true);
    eventually("the message is dead-lettered with reason delivery_limit", () -> ready(dead) == 1);
    GetResponse d = ch.basicGet(dead, true);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> deaths = (List<Map<String, Object>>) d.getProps().getHeaders().get("x-death");
    assertThat(deaths.getFirst().get("reason").toString()).isEqualTo("delivery_limit");
    assertThat(ready(q)).isZero();
  }

  @Test
  void policyKeysSetTheBackOffOfAnExistingQueue() throws Exception {
    String q = queue(Map.of());
    Ctl.ok(broker, "set_policy", "--apply-to", "queues", unique("retry-policy"), "^" + q + "$",
        "{\"retry-delay\": 300, \"retry-multiplier\": 2, \"retry-max-delay\": 1000}");
    ch.basicPublish("", q, null, bytes("m"));
    GetResponse m = ch.basicGet(q, false);
    long nackedAt = System.nanoTime();
    ch.basicNack(m.getEnvelope().getDeliveryTag(), false, true);
    assertThat(ch.basicGet(q, false)).isNull();
    awaitGet(q);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nackedAt)).isGreaterThanOrEqualTo(300 - 5);
  }

  @Test
  void retryArgumentsAreCheckedAsRabbitMqChecksIntegerArguments() throws Exception {
    String q = unique("retry");
    assertThat(channelCloseOf(() -> conn.createChannel().queueDeclare(q, false, false, false,
        Map.of("x-retry-delay", -1))))
        .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-retry-delay' for queue '" + q
            + "' in vhost '/': {value_negative,-1}");
    assertThat(channelCloseOf(() -> conn.createChannel().queueDeclare(q, false, false, false,
        Map.of("x-retry-delay", "500"))))
        .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-retry-delay' for queue '" + q
            + "' in vhost '/': \"expected integer, got longstr\"");
    assertThat(channelCloseOf(() -> conn.createChannel().queueDeclare(q, false, false, false,
        Map.of("x-retry-delay", 10, "x-retry-multiplier", 0))))
        .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-retry-multiplier' for queue '" + q
            + "' in vhost '/': {value_zero,0}");
    assertThat(channelCloseOf(() -> conn.createChannel().queueDeclare(q, false, false, false,
        Map.of("x-retry-delay", 10, "x-retry-max-delay", -3))))
        .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-retry-max-delay' for queue '" + q
            + "' in vhost '/': {value_negative,-3}");
  }

  @Test
  void aMessageWaitingForItsRetryIsReadyAgainAfterARestart() throws Exception {
    String q = unique("retry-durable");
    ch.queueDeclare(q, true, false, false, Map.of("x-retry-delay", 600_000));
    ch.basicPublish("", q, MessageProperties.PERSISTENT_TEXT_PLAIN, bytes("m"));
    GetResponse m = ch.basicGet(q, false);
    ch.basicNack(m.getEnvelope().getDeliveryTag(), false, true);
    assertThat(ch.basicGet(q, false)).isNull();
    conn.close();
    broker.restart();
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    GetResponse again = ch.basicGet(q, true);
    assertThat(again).isNotNull();
    assertThat(text(again.getBody())).isEqualTo("m");
  }
}
