package io.warrenmq.management.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.BrokerOptions;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.http.ApiException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics fields as RabbitMQ renders them (rabbit_mgmt_db, rabbit_mgmt_stats), over a real
 * broker's queues with a sampler ticked by hand at known times.
 */
class MessageStatsJsonTest {
  @TempDir Path dir;
  private Broker broker;
  private VirtualHost vh;
  private StatsSampler sampler;
  private MessageStatsJson stats;

  @BeforeEach
  void start() throws Exception {
    broker = new Broker(BrokerOptions.defaults(dir), ByteBufAllocator.DEFAULT);
    broker.start();
    vh = broker.vhost("/");
    sampler = StatsSampler.manual(broker, 5000);
    stats = new MessageStatsJson(broker, sampler);
  }

  @AfterEach
  void stop() throws Exception {
    broker.close();
  }

  private Queue queue(String name) {
    return vh.declareQueue(new QueueSpec("/", name, false, false, false, FieldTable.EMPTY), new Object()).queue();
  }

  private static void publish(Queue q, int n) {
    for (int i = 0; i < n; i++) {
      Message m = new Message("", q.name(), Unpooled.wrappedBuffer(new byte[] {0, 0}), Unpooled.wrappedBuffer(new byte[] {7}),
          System.currentTimeMillis());
      q.publish(m);
    }
  }

  private static void getAndAck(Queue q, int n) {
    for (int i = 0; i < n; i++) {
      Delivery d = q.get(false);
      q.ack(null, d.position());
      d.release();
    }
  }

  private Map<String, Object> render(Queue q, Ranges r) {
    Map<String, Object> out = new LinkedHashMap<>();
    stats.queue(q, r, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @Test
  void anIdleQueueHasNoMessageStatsAndNoCounters() {
    Queue q = queue("idle");
    Map<String, Object> out = render(q, Ranges.NONE);
    assertThat(out).doesNotContainKey("message_stats");
    assertThat(out).containsEntry("messages", 0L).containsEntry("messages_details", Map.of("rate", 0.0));
    assertThat(q.counts()).as("no counters allocated for an idle queue").isNull();
  }

  @Test
  void publishGetAndAckOfNMessagesAreCountedAndRatedAfterATick() {
    Queue q = queue("counted");
    long now = System.currentTimeMillis();
    publish(q, 2);
    sampler.tick(now - 5000);
    publish(q, 10);
    getAndAck(q, 4);
    sampler.tick(now);
    Map<String, Object> ms = map(render(q, Ranges.NONE).get("message_stats"));
    assertThat(ms.keySet()).containsExactly("publish", "publish_details", "get", "get_details", "get_no_ack",
        "get_no_ack_details", "deliver", "deliver_details", "deliver_no_ack", "deliver_no_ack_details", "redeliver",
        "redeliver_details", "ack", "ack_details", "deliver_get", "deliver_get_details", "get_empty", "get_empty_details");
    assertThat(ms).containsEntry("publish", 12L).containsEntry("publish_details", Map.of("rate", 2.0))
        .containsEntry("get", 4L).containsEntry("get_details", Map.of("rate", 0.8))
        .containsEntry("ack", 4L).containsEntry("deliver_get", 4L).containsEntry("deliver_get_details", Map.of("rate", 0.8));
    Map<String, Object> out = render(q, Ranges.NONE);
    assertThat(out).containsEntry("messages_ready", 8L).containsEntry("messages_ready_details", Map.of("rate", 1.2));
  }

  @Test
  void aPublishOnlyQueueShowsOnlyThePublishGroup() {
    Queue q = queue("publish-only");
    publish(q, 1);
    assertThat(map(render(q, Ranges.NONE).get("message_stats")).keySet()).containsExactly("publish", "publish_details");
  }

  @Test
  void aRangeAddsSamplesNewestFirstWithAverages() {
    Queue q = queue("charted");
    long now = System.currentTimeMillis() / 5000 * 5000;
    Map<String, String> params = Map.of("lengths_age", "10", "lengths_incr", "5", "msg_rates_age", "10", "msg_rates_incr", "5");
    render(q, Ranges.of(params::get, now)); // the first view starts the queue's history
    sampler.tick(now - 10_000);
    publish(q, 5);
    sampler.tick(now - 5000);
    publish(q, 10);
    sampler.tick(now);
    Map<String, Object> out = render(q, Ranges.of(params::get, now));
    Map<String, Object> d = map(out.get("messages_details"));
    assertThat(d.get("samples")).isEqualTo(List.of(
        Map.of("sample", 15L, "timestamp", now),
        Map.of("sample", 5L, "timestamp", now - 5000),
        Map.of("sample", 0L, "timestamp", now - 10_000)));
    assertThat(d).containsEntry("rate", 2.0).containsEntry("avg_rate", 1.5).containsEntry("avg", 20.0 / 3);
    Map<String, Object> publish = map(map(out.get("message_stats")).get("publish_details"));
    assertThat(publish).containsEntry("rate", 2.0).containsKey("samples");
  }

  @Test
  void invalidRangesAreRabbitMqsBadRequest() {
    Map<String, String> zero = Map.of("lengths_age", "0", "lengths_incr", "5");
    assertThatThrownBy(() -> Ranges.of(zero::get)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo("Invalid range parameters: age 0, incr 5");
    });
    Map<String, String> many = Map.of("msg_rates_age", "5010", "msg_rates_incr", "10");
    assertThatThrownBy(() -> Ranges.of(many::get)).isInstanceOf(ApiException.class);
    assertThat(Ranges.of(Map.of("lengths_age", "60")::get).any()).as("an age without an increment is no range").isFalse();
  }

  @Test
  void theOverviewHasEmptyMessageStatsOnAFreshBrokerAndItsTotalsAfterTraffic() {
    Map<String, Object> fresh = stats.overview(broker.vhosts(), null, Ranges.NONE);
    assertThat(fresh).containsEntry("message_stats", Map.of()).containsEntry("queue_totals", Map.of());
    assertThat(map(fresh.get("churn_rates"))).containsEntry("queue_created", 0L);
    assertThat(map(fresh.get("object_totals"))).containsEntry("queues", 0L).containsEntry("exchanges", 7L);
    Queue q = queue("overview");
    publish(q, 3);
    Map<String, Object> o = stats.overview(broker.vhosts(), null, Ranges.NONE);
    assertThat(map(o.get("message_stats"))).containsEntry("disk_writes", 3L).doesNotContainKey("publish");
    assertThat(map(o.get("queue_totals"))).containsEntry("messages", 3L).containsEntry("messages_ready", 3L);
    assertThat(map(o.get("churn_rates"))).containsEntry("queue_declared", 1L).containsEntry("queue_created", 1L);
    assertThat(map(o.get("object_totals"))).containsEntry("queues", 1L).containsEntry("consumers", 0L);
    assertThat(map(stats.overview(broker.vhosts(), "guest", Ranges.NONE).get("object_totals")))
        .as("consumers only for monitoring users").doesNotContainKey("consumers");
  }

  @Test
  void aUsersOverviewSumsItsVhostsSamplesAndTakesTheChurnSamplesFromTheNode() {
    long now = System.currentTimeMillis() / 5000 * 5000;
    Map<String, String> params = Map.of("lengths_age", "10", "lengths_incr", "5", "msg_rates_age", "10", "msg_rates_incr", "5");
    sampler.tick(now - 5000);
    publish(queue("churned"), 3);
    sampler.tick(now);
    Map<String, Object> o = stats.overview(broker.vhosts(), "guest", Ranges.of(params::get, now));
    assertThat(map(map(o.get("queue_totals")).get("messages_details")).get("samples")).isEqualTo(List.of(
        Map.of("sample", 3L, "timestamp", now), Map.of("sample", 0L, "timestamp", now - 5000)));
    assertThat(map(map(o.get("churn_rates")).get("queue_declared_details")).get("samples")).isEqualTo(List.of(
        Map.of("sample", 1L, "timestamp", now), Map.of("sample", 0L, "timestamp", now - 5000)));
  }

  @Test
  void aDeletedQueueLeavesItsDiskCountsInTheTotals() {
    Queue q = queue("deleted");
    publish(q, 4);
    vh.deleteQueue("deleted", false, false, new Object());
    Map<String, Object> o = stats.overview(broker.vhosts(), null, Ranges.NONE);
    assertThat(map(o.get("message_stats"))).containsEntry("disk_writes", 4L);
    assertThat(map(o.get("churn_rates"))).containsEntry("queue_deleted", 1L);
  }
}
