package io.warrenmq.it.management;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.management.stats.MessageStatsJson;
import io.warrenmq.management.stats.Ranges;
import io.warrenmq.management.stats.StatsSampler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RabbitMQ's message_stats after known AMQP traffic from the real Java client, as the management
 * API's controllers render them (MessageStatsJson over a sampler with a short
 * collect_statistics_interval): the channel, the queue, the exchange and the connection count
 * what happened, a rate shows up once a tick saw traffic, and the vhost's and overview's totals
 * keep a closed channel's counts.
 */
class MessageStatsIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();
  private static StatsSampler sampler;
  private static MessageStatsJson stats;

  @BeforeAll
  static void sampler() {
    sampler = StatsSampler.start(broker.server().broker(), 200);
    stats = new MessageStatsJson(broker.server().broker(), sampler);
  }

  @AfterAll
  static void stop() {
    sampler.close();
  }

  private static Broker b() {
    return broker.server().broker();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> messageStats(Map<String, Object> rendered) {
    return (Map<String, Object>) rendered.getOrDefault("message_stats", Map.of());
  }

  private static Map<String, Object> ofQueue(String name) {
    Map<String, Object> out = new LinkedHashMap<>();
    stats.queue(b().vhost("/").queue(name), Ranges.NONE, out);
    return out;
  }

  private static Map<String, Object> ofVhost() {
    Map<String, Object> out = new LinkedHashMap<>();
    stats.vhost(b().vhost("/"), Ranges.NONE, out);
    return out;
  }

  private static long count(Map<String, Object> ms, String name) {
    return ((Number) ms.getOrDefault(name, 0L)).longValue();
  }

  @Test
  void publishConsumeAndAckOfNMessagesCountNOnTheChannelQueueAndExchange() throws Exception {
    int n = 50;
    long vhostBefore = count(messageStats(ofVhost()), "publish");
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("stats-n", false, false, false, null);
      ch.confirmSelect();
      for (int i = 0; i < n; i++) {
        ch.basicPublish("", "stats-n", null, new byte[] {1});
      }
      ch.waitForConfirmsOrDie(10_000);
      CountDownLatch acked = new CountDownLatch(n);
      ch.basicConsume("stats-n", false, new DefaultConsumer(ch) {
        @Override
        public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body) throws java.io.IOException {
          getChannel().basicAck(e.getDeliveryTag(), false);
          acked.countDown();
        }
      });
      assertThat(acked.await(10, TimeUnit.SECONDS)).isTrue();
      ch.queueDeclarePassive("stats-n"); // a round trip after the last ack
      ConnectionView conn = b().connections().list().stream().filter(v -> v.channelCount() == 1).findFirst().orElseThrow();
      ChannelView view = conn.channels().getFirst();
      Map<String, Object> chOut = new LinkedHashMap<>();
      stats.channel(view, Ranges.NONE, chOut);
      assertThat(messageStats(chOut)).containsEntry("publish", (long) n).containsEntry("confirm", (long) n)
          .containsEntry("deliver", (long) n).containsEntry("ack", (long) n).containsEntry("deliver_get", (long) n)
          .containsEntry("deliver_no_ack", 0L).containsEntry("drop_unroutable", 0L).containsKey("publish_details");
      assertThat(messageStats(ofQueue("stats-n"))).containsEntry("publish", (long) n).containsEntry("deliver", (long) n)
          .containsEntry("ack", (long) n).doesNotContainKey("confirm");
      Map<String, Object> xOut = new LinkedHashMap<>();
      stats.exchange(b().vhost("/").exchange(""), Ranges.NONE, xOut);
      assertThat(count(messageStats(xOut), "publish_in")).isGreaterThanOrEqualTo(n);
      assertThat(count(messageStats(xOut), "publish_out")).isGreaterThanOrEqualTo(n);
      Map<String, Object> connOut = new LinkedHashMap<>();
      stats.connection(conn, Ranges.NONE, connOut);
      assertThat((Long) connOut.get("recv_oct")).isPositive();
      assertThat(connOut).containsKey("recv_oct_details");
    }
    // the connection is closed: its channel's counts stay in the vhost's and the overview's
    assertThat(count(messageStats(ofVhost()), "publish") - vhostBefore).isEqualTo(n);
    Map<String, Object> overview = stats.overview(b().vhosts(), null, Ranges.NONE);
    assertThat(count(messageStats(overview), "publish")).isGreaterThanOrEqualTo(n);
    assertThat(count(messageStats(overview), "ack")).isGreaterThanOrEqualTo(n);
  }

  @Test
  void aRateAppearsOnceASampleIntervalSawTraffic() throws Exception {
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("stats-rate", false, false, false, null);
      eventually(Duration.ofSeconds(10), "a publish rate on the queue", () -> {
        try {
          ch.basicPublish("", "stats-rate", null, new byte[] {1});
          Object d = messageStats(ofQueue("stats-rate")).get("publish_details");
          return d instanceof Map<?, ?> m && ((Double) m.get("rate")) > 0;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      VirtualHost vh = b().vhost("/");
      eventually(Duration.ofSeconds(10), "the vhost's messages_details rate", () -> {
        try {
          ch.basicPublish("", "stats-rate", null, new byte[] {1});
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        stats.vhost(vh, Ranges.NONE, out);
        return out.get("messages_details") instanceof Map<?, ?> m && ((Double) m.get("rate")) > 0;
      });
    }
  }
}
