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
    long full = bytesUnder(queuesDir());
    assertThat(segmentFiles()).as("the backlog spans many segments").isGreaterThan(20);
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
      eventually("the acked segments are deleted", () -> bytesUnder(queuesDir()) <= 2L * SEGMENT);
    }
    assertThat(segmentFiles()).isLessThanOrEqualTo(1);
    assertThat(bytesUnder(broker.dataDir())).as("the whole data directory is near empty").isLessThan(4L * SEGMENT);

    broker.restart();
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      assertThat(ch.queueDeclarePassive("many").getMessageCount()).isZero();
      assertThat(ch.basicGet("many", true)).isNull();
    }
  }

  /** A small body that carries its sequence number. */
  private static byte[] body(int i) {
    return ByteBuffer.allocate(24).putInt(i).put("0123456789abcdefghij".getBytes()).array();
  }

  private static Path queuesDir() {
    return broker.dataDir().resolve("vhosts");
  }

  private static long segmentFiles() {
    try (Stream<Path> s = Files.walk(queuesDir())) {
      return s.filter(p -> p.getFileName().toString().startsWith("msgs.")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
