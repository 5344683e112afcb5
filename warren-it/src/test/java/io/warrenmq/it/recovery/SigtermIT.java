package io.warrenmq.it.recovery;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.it.support.BrokerProcess;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what systemd, Docker and Kubernetes send) is a graceful stop: clients are told with
 * connection.close 320 CONNECTION_FORCED, the stores are flushed, and the process exits with 0, as
 * RabbitMQ does, so that service managers record a clean stop rather than a failure (a JVM left to
 * itself exits with 143 after running its shutdown hooks).
 */
class SigtermIT {
  @TempDir Path tmp;

  private static ConnectionFactory factory(BrokerProcess b) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(b.port());
    f.setUsername("guest");
    f.setPassword("guest");
    f.setAutomaticRecoveryEnabled(false);
    f.setRequestedHeartbeat(0);
    return f;
  }

  @Test
  void sigtermClosesClientsWith320ExitsWithZeroAndTheNextStartReportsWhatItRecovered() throws Exception {
    Path data = tmp.resolve("data");
    try (BrokerProcess broker = new BrokerProcess(data).start()) {
      AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
      Connection c = factory(broker).newConnection();
      BlockingQueue<ShutdownSignalException> closed = new ArrayBlockingQueue<>(1);
      c.addShutdownListener(closed::add);
      Channel ch = c.createChannel();
      ch.queueDeclare("term.a", true, false, false, null);
      ch.queueDeclare("term.b", true, false, false, null);
      ch.queueDeclare("term.transient-queue", false, false, false, null);
      for (int i = 0; i < 7; i++) {
        ch.basicPublish("", "term.a", persistent, ("a" + i).getBytes(StandardCharsets.UTF_8));
      }
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", "term.b", persistent, ("b" + i).getBytes(StandardCharsets.UTF_8));
      }
      ch.basicPublish("", "term.b", null, "transient".getBytes(StandardCharsets.UTF_8));
      // a round trip: the publishes above have been handled (no confirms, the stop must flush)
      assertThat(ch.queueDeclarePassive("term.b").getMessageCount()).isEqualTo(4);

      int exit = broker.stop();

      ShutdownSignalException s = closed.poll(10, TimeUnit.SECONDS);
      assertThat(s).as("the client was told").isNotNull();
      assertThat(s.isInitiatedByApplication()).as("closed by the broker").isFalse();
      assertThat(s.getReason()).isInstanceOf(AMQP.Connection.Close.class);
      AMQP.Connection.Close close = (AMQP.Connection.Close) s.getReason();
      assertThat(close.getReplyCode()).isEqualTo(320);
      assertThat(close.getReplyText()).startsWith("CONNECTION_FORCED - ");
      assertThat(exit).as("exit code after SIGTERM; log:%n%s", broker.logText()).isZero();
      assertThat(broker.logText()).contains("stopped");
      assertThat(data.resolve("warren.sock")).as("the control socket is removed").doesNotExist();

      long before = Files.size(broker.log());
      broker.start();
      String startLog = broker.logText().substring((int) before);
      assertThat(startLog)
          .contains("recovered queue 'term.a' in vhost '/' with 7 messages")
          .contains("recovered queue 'term.b' in vhost '/' with 3 messages")
          .contains("recovered 1 vhosts, 2 durable queues, 10 messages")
          .doesNotContain("torn tail")
          .doesNotContain("ERROR");
      try (Connection c2 = factory(broker).newConnection(); Channel ch2 = c2.createChannel()) {
        GetResponse first = ch2.basicGet("term.a", true);
        assertThat(new String(first.getBody(), StandardCharsets.UTF_8)).isEqualTo("a0");
        assertThat(ch2.queueDeclarePassive("term.b").getMessageCount()).isEqualTo(3);
      }
      assertThat(broker.stop()).isZero();
    }
  }

  @Test
  void aSigtermTheMomentThePortOpensIsStillAGracefulStop() throws Exception {
    // the port accepts connections before the broker's start has returned to main: a SIGTERM in
    // that window must not end the JVM under a half-started broker
    try (BrokerProcess broker = new BrokerProcess(tmp.resolve("early-data"))) {
      for (int i = 0; i < 3; i++) {
        broker.start();
        assertThat(broker.stop()).as("exit code of stop %d; log:%n%s", i, broker.logText()).isZero();
      }
      assertThat(broker.logText().split("\\] WarrenServer - stopped", -1)).hasSize(4);
    }
  }

  @Test
  void aSigtermDuringAPublishBurstKeepsEveryConfirmedMessageAndRequeuesTheUnackedOnes() throws Exception {
    try (BrokerProcess broker = new BrokerProcess(tmp.resolve("burst-data")).start()) {
      AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
      try (Connection c = factory(broker).newConnection(); Channel ch = c.createChannel()) {
        ch.queueDeclare("term.burst", true, false, false, null);
        ch.queueDeclare("term.work", true, false, false, null);
        ch.confirmSelect();
        for (int i = 0; i < 20; i++) {
          ch.basicPublish("", "term.work", persistent, new byte[] {(byte) i});
        }
        assertThat(ch.waitForConfirms(10_000)).isTrue();
      }
      Connection consumer = factory(broker).newConnection();
      Channel cch = consumer.createChannel();
      cch.basicQos(5);
      BlockingQueue<Integer> held = new ArrayBlockingQueue<>(20);
      cch.basicConsume("term.work", false, (tag, d) -> held.add((int) d.getBody()[0]), tag -> { });
      for (int i = 0; i < 5; i++) {
        assertThat(held.poll(10, TimeUnit.SECONDS)).isEqualTo(i);
      }
      BitSet promised;
      try (ConfirmedBurst burst = new ConfirmedBurst(factory(broker).newConnection(), "term.burst",
          i -> ByteBuffer.allocate(64).putInt(i).array())) {
        eventually(Duration.ofSeconds(30), "2000 confirmed",
            () -> burst.confirmedCount() >= 2000);
        assertThat(burst.publishing()).isTrue();

        assertThat(broker.stop()).as("exit code; log:%n%s", broker.logText()).isZero();

        promised = burst.awaitEnd();
      }
      consumer.abort();

      broker.start();
      try (Connection c = factory(broker).newConnection(); Channel ch = c.createChannel()) {
        BitSet present = new BitSet();
        int previous = -1;
        for (GetResponse r; (r = ch.basicGet("term.burst", true)) != null; ) {
          int seq = ByteBuffer.wrap(r.getBody()).getInt();
          assertThat(seq).as("in order").isGreaterThan(previous);
          previous = seq;
          present.set(seq);
        }
        BitSet lost = (BitSet) promised.clone();
        lost.andNot(present);
        assertThat(lost.cardinality()).as("confirmed but lost: %s of %d", lost, promised.cardinality()).isZero();
        for (int i = 0; i < 20; i++) {
          GetResponse r = ch.basicGet("term.work", true);
          assertThat(r.getBody()[0]).isEqualTo((byte) i);
          assertThat(r.getEnvelope().isRedeliver()).as("message %d redelivered", i).isEqualTo(i < 5);
        }
      }
    }
  }
}
