package io.warrenmq.it.queue;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Queues declared and never used (an idle classic queue keeps no store or consumer machinery in
 * memory until its first use) behave as any other queue: they survive a restart, and once used
 * after it they take publishes, deliver to consumers, take acks, expire messages by TTL into their
 * dead-letter exchange, keep their length limit and count for x-expires.
 */
class IdleQueueIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
  private static final int IDLE = 200;

  private static Connection connect() throws Exception {
    return broker.factory().newConnection();
  }

  private static void awaitCount(Channel ch, String q, int n) {
    Eventually.eventually(q + " holds " + n, () -> {
      try {
        return ch.queueDeclarePassive(q).getMessageCount() == n;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static void publishConfirmed(Channel ch, String exchange, String key, String... bodies) throws Exception {
    ch.confirmSelect();
    for (String b : bodies) {
      ch.basicPublish(exchange, key, PERSISTENT, bytes(b));
    }
    assertThat(ch.waitForConfirms(10_000)).as("confirmed").isTrue();
  }

  @Test
  void idleDurableQueuesComeBackAfterARestartAndWorkFullyWhenFirstUsed() throws Exception {
    try (Connection c = connect(); Channel ch = c.createChannel()) {
      for (int i = 0; i < IDLE; i++) {
        ch.queueDeclare("idle.plain." + i, true, false, false, null);
      }
      ch.exchangeDeclare("idle.dlx", "fanout", true);
      ch.queueDeclare("idle.dead", true, false, false, null);
      ch.queueBind("idle.dead", "idle.dlx", "");
      ch.queueDeclare("idle.ttl", true, false, false,
          Map.of("x-message-ttl", 300, "x-dead-letter-exchange", "idle.dlx"));
      ch.queueDeclare("idle.limited", true, false, false, Map.of("x-max-length", 2));
      ch.queueDeclare("idle.transient", false, false, false, null);
    }
    broker.restart();
    try (Connection c = connect(); Channel ch = c.createChannel()) {
      for (int i = 0; i < IDLE; i++) {
        AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive("idle.plain." + i);
        assertThat(ok.getMessageCount()).isZero();
        assertThat(ok.getConsumerCount()).isZero();
      }
      // non-durable queues go at a restart, used or not
      Channel probe = c.createChannel();
      assertThat(io.warrenmq.it.support.Messaging.channelCloseOf(() -> probe.queueDeclarePassive("idle.transient")))
          .startsWith("404");

      // first use after the restart: publish, consume, ack
      String q = "idle.plain.7";
      publishConfirmed(ch, "", q, "one", "two");
      awaitCount(ch, q, 2);
      BlockingQueue<String> got = new ArrayBlockingQueue<>(4);
      Channel cons = c.createChannel();
      cons.basicQos(10);
      String tag = cons.basicConsume(q, false, new DefaultConsumer(cons) {
        @Override
        public void handleDelivery(String t, Envelope e, AMQP.BasicProperties p, byte[] body) throws IOException {
          got.add(text(body) + (e.isRedeliver() ? " (redelivered)" : ""));
          cons.basicAck(e.getDeliveryTag(), false);
        }
      });
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("one");
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("two");
      cons.basicCancel(tag);
      Eventually.eventually(q + " acked", () -> {
        try {
          AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(q);
          return ok.getMessageCount() == 0 && ok.getConsumerCount() == 0;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });

      // TTL and dead-lettering from arguments declared before the restart
      publishConfirmed(ch, "", "idle.ttl", "short-lived");
      awaitCount(ch, "idle.dead", 1);
      assertThat(ch.queueDeclarePassive("idle.ttl").getMessageCount()).isZero();
      GetResponse dead = ch.basicGet("idle.dead", true);
      assertThat(text(dead.getBody())).isEqualTo("short-lived");
      assertThat(dead.getProps().getHeaders()).containsKey("x-death");

      // the length limit drops the head
      publishConfirmed(ch, "", "idle.limited", "a", "b", "c");
      awaitCount(ch, "idle.limited", 2);
      assertThat(text(ch.basicGet("idle.limited", true).getBody())).isEqualTo("b");

      // an idle queue purges and deletes as an empty one
      assertThat(ch.queuePurge("idle.plain.8").getMessageCount()).isZero();
      assertThat(ch.queueDelete("idle.plain.9").getMessageCount()).isZero();
      publishConfirmed(ch, "", "idle.plain.10", "kept");
    }
    broker.restart();
    try (Connection c = connect(); Channel ch = c.createChannel()) {
      // what the used queue holds survives a second restart; the deleted one stays gone
      GetResponse kept = ch.basicGet("idle.plain.10", false);
      assertThat(text(kept.getBody())).isEqualTo("kept");
      assertThat(kept.getEnvelope().isRedeliver()).isFalse();
      ch.basicAck(kept.getEnvelope().getDeliveryTag(), false);
      assertThat(ch.queueDeclarePassive("idle.plain.11").getMessageCount()).isZero();
      Channel probe = c.createChannel();
      assertThat(io.warrenmq.it.support.Messaging.channelCloseOf(() -> probe.queueDeclarePassive("idle.plain.9")))
          .startsWith("404");
    }
  }

  @Test
  void anIdleQueueWithXExpiresIsDeletedWhenUnusedAndAnotherIsKeptByUse() throws Exception {
    try (Connection c = connect(); Channel ch = c.createChannel()) {
      ch.queueDeclare("idle.expires", true, false, false, Map.of("x-expires", 1_000));
      ch.queueDeclare("idle.expires.used", true, false, false, Map.of("x-expires", 60_000));
    }
    // looked up in the broker, not by a passive declare: that would count as use (RabbitMQ)
    Eventually.eventually("idle.expires is gone", () -> broker.server().broker().vhost("/").queue("idle.expires") == null);
    assertThat(broker.server().broker().vhost("/").queue("idle.expires.used")).isNotNull();
    try (Connection c = connect(); Channel ch = c.createChannel()) {
      publishConfirmed(ch, "", "idle.expires.used", "still here");
      assertThat(text(ch.basicGet("idle.expires.used", true).getBody())).isEqualTo("still here");
    }
  }
}
