package io.warrenmq.it.connection;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-queue back-pressure: a no-ack consumer that stops reading (its handler hangs, so the Java
 * client stops reading its socket) makes its queue's consumers "behind" once a backlog builds up;
 * the publisher to that queue is then slowed (connection state "flow", as RabbitMQ's credit flow
 * shows it) but never stopped, and a consumer that catches up ends it. A queue whose consumer
 * merely waits for acks (prefetch) is not behind.
 */
class QueueFlowIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();

  private static Queue queue(String name) {
    return broker.server().broker().vhost("/").queue(name);
  }

  private static String state(String connectionName) {
    return ManagementHttp.guest(broker).get("/api/connections").jsonList().stream()
        .filter(c -> connectionName.equals(c.get("user_provided_name"))).map(c -> (String) c.get("state"))
        .findFirst().orElse("?");
  }

  @Test
  void aConsumerThatCannotKeepUpSlowsThePublisherUntilItCatchesUp() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    AtomicInteger received = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger published = new AtomicInteger();
    try (Connection consumerConn = broker.factory().newConnection("flow-consumer");
        Connection publisherConn = broker.factory().newConnection("flow-publisher")) {
      Channel cc = consumerConn.createChannel();
      cc.queueDeclare("flow-q", false, false, false, null);
      cc.basicConsume("flow-q", true, new DefaultConsumer(cc) {
        @Override
        public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body)
            throws java.io.IOException {
          received.incrementAndGet();
          try {
            hang.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
          }
        }
      });
      Channel pc = publisherConn.createChannel();
      Thread publisher = Thread.ofPlatform().start(() -> {
        try {
          byte[] body = new byte[4096];
          while (!stop.get() && published.get() < 2_000_000) {
            pc.basicPublish("", "flow-q", null, body);
            published.incrementAndGet();
          }
        } catch (Exception e) {
          // the test's assertions tell
        }
      });
      try {
        eventually(Duration.ofSeconds(30), "the queue's consumer is behind", () -> queue("flow-q").consumersBehind());
        eventually("the publisher is in flow", () -> state("flow-publisher").equals("flow"));
        assertThat(state("flow-consumer")).isEqualTo("running");
        int before = published.get();
        eventually("the publisher is slowed, not stopped", () -> published.get() > before);
      } finally {
        hang.countDown();
      }
      stop.set(true);
      publisher.join(10_000);
      eventually(Duration.ofSeconds(30), "the consumer catches up: every message arrives",
          () -> received.get() == published.get());
      assertThat(queue("flow-q").messageCount()).isZero();
      assertThat(queue("flow-q").consumersBehind()).isFalse();
    }
  }

  @Test
  void aConsumerWaitingForAcksDoesNotSlowThePublisher() throws Exception {
    try (Connection consumerConn = broker.factory().newConnection();
        Connection publisherConn = broker.factory().newConnection("ack-publisher")) {
      Channel cc = consumerConn.createChannel();
      cc.queueDeclare("flow-acks", false, false, false, null);
      cc.basicQos(10);
      cc.basicConsume("flow-acks", false, (tag, d) -> {}, tag -> {}); // never acks
      Channel pc = publisherConn.createChannel();
      pc.confirmSelect();
      for (int i = 0; i < 5000; i++) {
        pc.basicPublish("", "flow-acks", null, new byte[1024]);
      }
      pc.waitForConfirmsOrDie(10_000);
      assertThat(queue("flow-acks").messageCount()).isEqualTo(4990);
      assertThat(queue("flow-acks").consumersBehind()).isFalse();
      assertThat(state("ack-publisher")).isEqualTo("running");
    }
  }
}
