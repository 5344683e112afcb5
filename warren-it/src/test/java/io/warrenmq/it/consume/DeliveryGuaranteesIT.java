package io.warrenmq.it.consume;

import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warrenmq.it.support.BrokerExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whole-queue guarantees with several publishers and consumers at once: every message is
 * acknowledged exactly once whatever the requeues, each publisher's order is kept, and a
 * cancelled consumer gets nothing after cancel-ok.
 */
class DeliveryGuaranteesIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  @Test
  void competingConsumersThatRequeueAtRandomAckEveryMessageExactlyOnce() throws Exception {
    Channel admin = conn.createChannel();
    String q = unique("q");
    admin.queueDeclare(q, false, false, false, null);
    int total = 600;
    Set<String> acked = ConcurrentHashMap.newKeySet();
    List<String> problems = new CopyOnWriteArrayList<>();
    AtomicInteger redeliveredSeen = new AtomicInteger();
    for (int c = 0; c < 3; c++) {
      Channel ch = conn.createChannel();
      ch.basicQos(5 + c * 10);
      ch.basicConsume(q, false, new DefaultConsumer(ch) {
        final Set<String> requeuedHere = new java.util.HashSet<>();

        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body)
            throws IOException {
          String m = text(body);
          if (env.isRedeliver()) {
            redeliveredSeen.incrementAndGet();
          }
          if (ThreadLocalRandom.current().nextInt(4) == 0) {
            requeuedHere.add(m);
            getChannel().basicNack(env.getDeliveryTag(), false, true);
            return;
          }
          if (!env.isRedeliver() && requeuedHere.contains(m)) {
            problems.add("requeued but not marked redelivered: " + m);
          }
          if (!acked.add(m)) {
            problems.add("delivered again after its ack: " + m);
          }
          getChannel().basicAck(env.getDeliveryTag(), false);
        }
      });
    }
    for (int i = 0; i < total; i++) {
      admin.basicPublish("", q, null, bytes("m" + i));
    }
    eventually("every message acked", () -> acked.size() == total);
    assertThat(problems).isEmpty();
    assertThat(redeliveredSeen.get()).isPositive();
    assertThat(admin.queueDeclarePassive(q).getMessageCount()).isZero();
  }

  @Test
  void eachPublishersOrderIsKeptInTheQueue() throws Exception {
    Channel admin = conn.createChannel();
    String q = unique("q");
    admin.queueDeclare(q, false, false, false, null);
    int publishers = 4;
    int each = 300;
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int p = 0; p < publishers; p++) {
      int id = p;
      Channel ch = conn.createChannel();
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          for (int i = 0; i < each; i++) {
            ch.basicPublish("", q, null, bytes(id + ":" + i));
          }
          ch.queueDeclarePassive(q);
        } catch (Throwable t) {
          failures.add(t);
        }
      }));
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertThat(failures).isEmpty();
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    Channel consumer = conn.createChannel();
    consumer.basicConsume(q, true, (tag, d) -> got.add(text(d.getBody())), tag -> { });
    eventually("all messages consumed", () -> got.size() == publishers * each);
    Map<String, Integer> next = new HashMap<>();
    for (String m : got) {
      String[] parts = m.split(":");
      int expected = next.getOrDefault(parts[0], 0);
      assertThat(Integer.parseInt(parts[1])).as("order of publisher %s", parts[0]).isEqualTo(expected);
      next.put(parts[0], expected + 1);
    }
  }

  @Test
  void nothingIsDeliveredToAConsumerAfterItsCancelOk() throws Exception {
    Channel ch = conn.createChannel();
    String q = unique("q");
    ch.queueDeclare(q, false, false, false, null);
    int total = 2000;
    for (int i = 0; i < total; i++) {
      ch.basicPublish("", q, null, bytes("m" + i));
    }
    List<String> unsolicited = new CopyOnWriteArrayList<>();
    ch.setDefaultConsumer(new DefaultConsumer(ch) {
      @Override
      public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body) {
        unsolicited.add(tag + " " + text(body));
      }
    });
    AtomicInteger delivered = new AtomicInteger();
    String tag = ch.basicConsume(q, false, (t, d) -> delivered.incrementAndGet(), t -> { });
    ch.basicCancel(tag);
    long ready = ch.queueDeclarePassive(q).getMessageCount();
    eventually("the deliveries before cancel-ok are handled", () -> delivered.get() + ready == total);
    assertThat(unsolicited).isEmpty();
    ch.close(); // unacked ones go back
    Channel after = conn.createChannel();
    eventually("every message is ready again", () -> {
      try {
        return after.messageCount(q) == total;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }
}
