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
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-queue back-pressure: a no-ack consumer that stops reading (its handler hangs, so the Java
 * client stops reading its socket) makes its queue "behind" once a backlog builds up; the publisher
 * to that queue then stops being read (connection state "flow", as RabbitMQ's credit flow shows it),
 * reading once more a second so it is slowed but never stopped, and goes on at full speed as
 * soon as the consumer catches up or goes away. A consumer that merely waits for acks (prefetch)
 * slows nobody: a backlog for it is what a queue is for.
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

  /** A consumer whose handler waits for {@code hang}: the client stops reading its socket. */
  private static String hangingConsumer(Channel ch, String queue, CountDownLatch hang, AtomicInteger received)
      throws IOException {
    return ch.basicConsume(queue, true, new DefaultConsumer(ch) {
      @Override
      public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body) {
        received.incrementAndGet();
        try {
          hang.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
        }
      }
    });
  }

  /** Publishes 256-byte messages to {@code queue} as fast as the broker reads them, until stopped. */
  private static Thread publisher(Channel ch, String queue, AtomicBoolean stop, AtomicInteger published) {
    return Thread.ofPlatform().start(() -> {
      try {
        byte[] body = new byte[256];
        while (!stop.get()) {
          ch.basicPublish("", queue, null, body);
          published.incrementAndGet();
        }
      } catch (Exception e) {
        // the connection closed under it at the end of the test
      }
    });
  }

  @Test
  void aConsumerThatCannotKeepUpHoldsThePublisherBackUntilItCatchesUp() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    AtomicInteger received = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger published = new AtomicInteger();
    try (Connection consumerConn = broker.factory().newConnection("flow-consumer");
        Connection publisherConn = broker.factory().newConnection("flow-publisher")) {
      Channel cc = consumerConn.createChannel();
      cc.queueDeclare("flow-q", false, false, false, null);
      hangingConsumer(cc, "flow-q", hang, received);
      Thread pub = publisher(publisherConn.createChannel(), "flow-q", stop, published);
      try {
        eventually(Duration.ofSeconds(30), "the queue is behind", () -> queue("flow-q").flow().behind());
        eventually("the publisher is in flow", () -> state("flow-publisher").equals("flow"));
        assertThat(state("flow-consumer")).isEqualTo("running");
        // held back: over three seconds the queue grows by a few reads, not by the ~100,000
        // messages an unthrottled publisher puts on disk in that time
        long depth = queue("flow-q").messageCount();
        Thread.sleep(3000);
        long grown = queue("flow-q").messageCount() - depth;
        // and it is slowed, not stopped: a read a second goes on (the client's own send buffer
        // hides that from its publishing thread for a while)
        assertThat(grown).as("messages let in while the consumer hangs").isPositive().isLessThan(5_000);
      } finally {
        hang.countDown();
      }
      // caught up: the publisher goes on at full speed while the consumer keeps up
      int atRelease = published.get();
      eventually(Duration.ofSeconds(30), "the publisher runs again", () -> published.get() > atRelease + 20_000);
      stop.set(true);
      pub.join(10_000);
      eventually(Duration.ofSeconds(30), "every message arrives", () -> received.get() == published.get());
      assertThat(queue("flow-q").messageCount()).isZero();
      assertThat(queue("flow-q").flow().behind()).isFalse();
    }
  }

  @Test
  void aConsumerThatGoesAwayReleasesThePublisherAtOnce() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger published = new AtomicInteger();
    try (Connection publisherConn = broker.factory().newConnection("gone-publisher")) {
      Connection consumerConn = broker.factory().newConnection("gone-consumer");
      Channel cc = consumerConn.createChannel();
      cc.queueDeclare("flow-gone", false, false, false, null);
      hangingConsumer(cc, "flow-gone", hang, new AtomicInteger());
      Thread pub = publisher(publisherConn.createChannel(), "flow-gone", stop, published);
      try {
        eventually(Duration.ofSeconds(30), "the queue is behind", () -> queue("flow-gone").flow().behind());
        consumerConn.abort(1000); // the consumer's connection dies with its backlog unread
        eventually("no consumer, so nobody to fall behind", () -> !queue("flow-gone").flow().behind());
        long depth = queue("flow-gone").messageCount();
        // a queue without consumers takes a backlog at the publisher's full speed
        eventually(Duration.ofSeconds(20), "the publisher runs again",
            () -> queue("flow-gone").messageCount() > depth + 20_000);
      } finally {
        hang.countDown();
        stop.set(true);
        pub.join(10_000);
      }
      publisherConn.createChannel().queueDelete("flow-gone");
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
      assertThat(queue("flow-acks").flow().behind()).isFalse();
      assertThat(state("ack-publisher")).isEqualTo("running");
    }
  }
}
