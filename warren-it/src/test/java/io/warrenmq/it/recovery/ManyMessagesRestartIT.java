package io.warrenmq.it.recovery;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warrenmq.it.support.BrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A backlog spanning many segment files survives a restart whole and in order, and gives its disk space back. */
class ManyMessagesRestartIT {
  private static final int SEGMENT = 65536;
  private static final int COUNT = 50_000;

  @RegisterExtension
  static final BrokerExtension broker = new BrokerExtension(Map.of("segment_size", Integer.toString(SEGMENT)));

  @Test
  void fiftyThousandMessagesAcrossManySegmentsSurviveARestartInOrderAndTheirSpaceIsFreedOnceAcked() throws Exception {
    AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("many", true, false, false, null);
      ch.confirmSelect();
      for (int i = 0; i < COUNT; i++) {
        ch.basicPublish("", "many", persistent, body(i));
      }
      assertThat(ch.waitForConfirms(60_000)).isTrue();
    }
    Path dir = QueueFiles.queueDir(broker.dataDir(), "/", "many");
    long full = bytesUnder(dir);
    assertThat(QueueFiles.segments(dir)).as("the backlog spans many segments").hasSizeGreaterThan(20);
    assertThat(full).isGreaterThan(20L * SEGMENT);

    broker.restart();

    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      assertThat(ch.queueDeclarePassive("many").getMessageCount()).isEqualTo(COUNT);
      ch.basicQos(2000);
      AtomicInteger next = new AtomicInteger();
      AtomicReference<String> error = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(1);
      ch.basicConsume("many", false, (tag, d) -> {
        int expected = next.getAndIncrement();
        int got = ByteBuffer.wrap(d.getBody()).getInt();
        if (got != expected || d.getEnvelope().isRedeliver()) {
          error.compareAndSet(null, "expected #" + expected + " got #" + got + " redelivered "
              + d.getEnvelope().isRedeliver());
        }
        if (expected % 500 == 499 || expected == COUNT - 1) {
          ch.basicAck(d.getEnvelope().getDeliveryTag(), true);
        }
        if (expected == COUNT - 1) {
          done.countDown();
        }
      }, tag -> { });
      assertThat(done.await(60, TimeUnit.SECONDS)).as("all delivered, got " + next.get()).isTrue();
      assertThat(error.get()).isNull();
      eventually("the queue is drained", () -> broker.server().broker().vhost("/").queue("many").unackedCount() == 0);
      eventually("the acked segments are deleted", () -> bytesUnder(dir) <= SEGMENT);
    }
    assertThat(QueueFiles.segments(dir)).as("at most the write segment is left").hasSizeLessThanOrEqualTo(1);

    broker.restart();
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      assertThat(ch.queueDeclarePassive("many").getMessageCount()).isZero();
      assertThat(ch.basicGet("many", true)).isNull();
      ch.confirmSelect();
      ch.basicPublish("", "many", persistent, body(COUNT));
      assertThat(ch.waitForConfirms(10_000)).isTrue();
    }
    broker.restart();
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      assertThat(ByteBuffer.wrap(ch.basicGet("many", true).getBody()).getInt())
          .as("a message published into the drained queue survives the next restart").isEqualTo(COUNT);
    }
  }

  @Test
  void aMessageLargerThanASegmentSurvivesARestartBetweenSmallOnes() throws Exception {
    AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    byte[] big = new byte[5 * SEGMENT + 123];
    new java.util.Random(7).nextBytes(big);
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("big", true, false, false, null);
      ch.confirmSelect();
      ch.basicPublish("", "big", persistent, body(1));
      ch.basicPublish("", "big", persistent, big);
      ch.basicPublish("", "big", persistent, body(2));
      assertThat(ch.waitForConfirms(10_000)).isTrue();
    }
    broker.restart();
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      assertThat(ByteBuffer.wrap(ch.basicGet("big", true).getBody()).getInt()).isEqualTo(1);
      assertThat(ch.basicGet("big", true).getBody()).isEqualTo(big);
      assertThat(ByteBuffer.wrap(ch.basicGet("big", true).getBody()).getInt()).isEqualTo(2);
      assertThat(ch.basicGet("big", true)).isNull();
    }
  }

  @Test
  void purgingOrDeletingABacklogGivesItsDiskSpaceBack() throws Exception {
    AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    byte[] kb = new byte[1024];
    Path purged;
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("purge-me", true, false, false, null);
      ch.queueDeclare("delete-me", true, false, false, null);
      ch.confirmSelect();
      for (int i = 0; i < 2000; i++) {
        ch.basicPublish("", "purge-me", persistent, kb);
        ch.basicPublish("", "delete-me", persistent, kb);
      }
      assertThat(ch.waitForConfirms(30_000)).isTrue();
      purged = QueueFiles.queueDir(broker.dataDir(), "/", "purge-me");
      Path deleted = QueueFiles.queueDir(broker.dataDir(), "/", "delete-me");
      assertThat(bytesUnder(purged)).isGreaterThan(20L * SEGMENT);

      assertThat(ch.queuePurge("purge-me").getMessageCount()).isEqualTo(2000);
      ch.queueDelete("delete-me");

      assertThat(bytesUnder(purged)).as("a purge deletes the segments at once").isLessThanOrEqualTo(SEGMENT);
      eventually("the deleted queue's directory is removed", () -> !Files.exists(deleted));
    }
    broker.restart();
    assertThat(bytesUnder(purged)).isLessThanOrEqualTo(SEGMENT);
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      assertThat(ch.queueDeclarePassive("purge-me").getMessageCount()).isZero();
    }
  }

  /** A small body that carries its sequence number. */
  private static byte[] body(int i) {
    return ByteBuffer.allocate(24).putInt(i).put("0123456789abcdefghij".getBytes()).array();
  }

  /** Apparent size of every file under {@code dir}. */
  private static long bytesUnder(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (java.nio.file.NoSuchFileException e) {
          return 0; // an acked segment deleted while we walk
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
