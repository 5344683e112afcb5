package io.warrenmq.it.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redelivery after a restart, as RabbitMQ's classic queues do it: after an unclean stop (kill -9,
 * power loss, a crash while recovering) every recovered message may have been delivered, so each
 * comes back with {@code redelivered = true} and counts one delivery towards {@code
 * x-delivery-limit} (rabbit_variable_queue: on {@code non_clean_shutdown} next_deliver_seq_id
 * becomes the highest seq id, "effectively marking all messages as delivered"); after a graceful
 * stop a message never delivered comes back with {@code redelivered = false}. The store tells the
 * two apart by the clean-shutdown marker a graceful stop leaves (docs/storage.md). One broker
 * process for the class, killed or stopped and started again by each test.
 */
class UncleanShutdownIT {
  @TempDir static Path tmp;
  static BrokerProcess broker;

  private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2).build();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new BrokerProcess(tmp.resolve("data")).start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  private static ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(broker.port());
    f.setUsername("guest");
    f.setPassword("guest");
    f.setAutomaticRecoveryEnabled(false);
    f.setRequestedHeartbeat(0);
    f.setConnectionTimeout(10_000);
    return f;
  }

  private static void killAndRestart() throws Exception {
    broker.kill();
    broker.start();
  }

  private static void stopAndRestart() throws Exception {
    assertThat(broker.stop()).as("graceful stop").isZero();
    broker.start();
  }

  /** Declares durable {@code q} with {@code args} and publishes {@code bodies}, confirmed. */
  private static void publish(String q, Map<String, Object> args, String... bodies) throws Exception {
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare(q, true, false, false, args);
      ch.confirmSelect();
      for (String b : bodies) {
        ch.basicPublish("", q, PERSISTENT, b.getBytes(StandardCharsets.UTF_8));
      }
      assertThat(ch.waitForConfirms(10_000)).isTrue();
    }
  }

  /** The redelivered flags of every message left in {@code q}, fetched with auto-ack, by body. */
  private static List<String> drainFlags(String q) throws Exception {
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      List<String> out = new ArrayList<>();
      for (GetResponse r; (r = ch.basicGet(q, true)) != null; ) {
        out.add(new String(r.getBody(), StandardCharsets.UTF_8) + "=" + r.getEnvelope().isRedeliver());
      }
      return out;
    }
  }

  @Test
  void aMessageNeverDeliveredComesBackFlaggedRedeliveredAfterAKillNine() throws Exception {
    publish("unclean.plain", Map.of(), "a", "b", "c");
    publish("unclean.priority", Map.of("x-max-priority", 5), "p");

    killAndRestart();

    assertThat(drainFlags("unclean.plain")).containsExactly("a=true", "b=true", "c=true");
    assertThat(drainFlags("unclean.priority")).containsExactly("p=true");
    // published after the recovery: a first delivery
    publish("unclean.plain", Map.of(), "d");
    assertThat(drainFlags("unclean.plain")).containsExactly("d=false");
  }

  @Test
  void aMessageNeverDeliveredComesBackUnflaggedAfterAGracefulRestart() throws Exception {
    publish("clean.plain", Map.of(), "a", "b");
    publish("clean.priority", Map.of("x-max-priority", 5), "p");

    stopAndRestart();

    assertThat(drainFlags("clean.priority")).containsExactly("p=false");
    assertThat(drainFlags("clean.plain")).containsExactly("a=false", "b=false");
  }

  @Test
  void aKillNineAfterAGracefulRestartIsUncleanAgain() throws Exception {
    publish("clean-then-kill", Map.of(), "a");
    stopAndRestart(); // the start takes the marker: the next stop must leave its own

    killAndRestart();

    assertThat(drainFlags("clean-then-kill")).containsExactly("a=true");
  }

  @Test
  void aMessageFlaggedByAKillNineStaysFlaggedAcrossALaterGracefulRestart() throws Exception {
    publish("kill-then-clean", Map.of(), "a");
    killAndRestart();
    publish("kill-then-clean", Map.of(), "b");

    stopAndRestart();

    assertThat(drainFlags("kill-then-clean")).containsExactly("a=true", "b=false");
  }

  @Test
  void aQueueWithADeliveryLimitCountsTheUncleanRestartAsADelivery() throws Exception {
    // x-delivery-limit 1: a message may be returned once; the next return dead-letters it
    Map<String, Object> args = Map.of("x-delivery-limit", 1, "x-dead-letter-exchange", "",
        "x-dead-letter-routing-key", "limit.dead");
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("limit.dead", true, false, false, null);
    }
    publish("limit.killed", args, "k");

    killAndRestart();

    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      GetResponse k = ch.basicGet("limit.killed", false);
      assertThat(k.getEnvelope().isRedeliver()).isTrue();
      assertThat(deliveryCount(k)).as("the unclean restart counts as one delivery").isEqualTo(1L);
      ch.basicNack(k.getEnvelope().getDeliveryTag(), false, true);
      assertThat(ch.queueDeclarePassive("limit.killed").getMessageCount()).as("returned past the limit").isZero();
      assertThat(body(ch.basicGet("limit.dead", true))).isEqualTo("k");
    }

    publish("limit.stopped", args, "s");

    stopAndRestart();

    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      GetResponse first = ch.basicGet("limit.stopped", false);
      assertThat(first.getEnvelope().isRedeliver()).isFalse();
      assertThat(deliveryCount(first)).as("a first delivery").isNull();
      ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
      GetResponse second = ch.basicGet("limit.stopped", false);
      assertThat(second.getEnvelope().isRedeliver()).isTrue();
      assertThat(deliveryCount(second)).isEqualTo(1L);
      ch.basicNack(second.getEnvelope().getDeliveryTag(), false, true);
      assertThat(ch.queueDeclarePassive("limit.stopped").getMessageCount()).isZero();
      assertThat(body(ch.basicGet("limit.dead", true))).isEqualTo("s");
    }
  }

  private static Object deliveryCount(GetResponse r) {
    Map<String, Object> h = r.getProps().getHeaders();
    return h == null ? null : h.get("x-delivery-count");
  }

  private static String body(GetResponse r) {
    assertThat(r).as("a message").isNotNull();
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }
}
