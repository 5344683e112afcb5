package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.PrometheusText;
import io.warrenmq.it.support.PrometheusText.Family;
import io.warrenmq.it.support.PrometheusText.Scrape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Prometheus endpoint as rabbitmq_prometheus 3.13.7 serves it (rabbit_prometheus_dispatcher,
 * prometheus_rabbitmq_core_metrics_collector, _global_metrics_collector, _alarm_metrics_collector):
 * families, types, labels and the three registries, scraped with a real HTTP client and parsed.
 */
class PrometheusIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension().withPrometheus();

  private static Map<String, Family> scrape(String path) {
    Scrape s = PrometheusText.get(broker.prometheusPort(), path);
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    return s.families();
  }

  private static double value(Map<String, Family> f, String name, Map<String, String> labels) {
    assertThat(f).as(name).containsKey(name);
    return f.get(name).value(labels).orElseThrow();
  }

  private static double global(Map<String, Family> f, String name) {
    return value(f, "rabbitmq_global_" + name, Map.of("protocol", "amqp091"));
  }

  private static double classic(Map<String, Family> f, String name) {
    return value(f, "rabbitmq_global_" + name, Map.of("protocol", "amqp091", "queue_type", "rabbit_classic_queue"));
  }

  @Test
  void publishConsumeAndAckOfNMessagesCountNInTheGlobalCounters() throws Exception {
    Map<String, Family> before = scrape("/metrics");
    int n = 20;
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("prom-counts", false, false, false, null);
      ch.confirmSelect();
      for (int i = 0; i < n; i++) {
        ch.basicPublish("", "prom-counts", null, new byte[] {1});
      }
      ch.waitForConfirmsOrDie(10_000);
      ch.basicPublish("", "no-such-queue", null, new byte[] {1});
      ch.basicPublish("", "no-such-queue", true, null, new byte[] {1});
      for (int i = 0; i < n; i++) {
        GetResponse r = ch.basicGet("prom-counts", false);
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
      }
      assertThat(ch.basicGet("prom-counts", true)).isNull();
      ch.waitForConfirmsOrDie(10_000);
    }
    Map<String, Family> after = scrape("/metrics");
    assertThat(global(after, "messages_received_total") - global(before, "messages_received_total")).isEqualTo(n + 2);
    assertThat(global(after, "messages_received_confirm_total") - global(before, "messages_received_confirm_total"))
        .isEqualTo(n + 2);
    assertThat(global(after, "messages_routed_total") - global(before, "messages_routed_total")).isEqualTo(n);
    assertThat(global(after, "messages_confirmed_total") - global(before, "messages_confirmed_total"))
        .as("unroutable messages are confirmed too").isEqualTo(n + 2);
    assertThat(global(after, "messages_unroutable_dropped_total") - global(before, "messages_unroutable_dropped_total"))
        .isEqualTo(1);
    assertThat(global(after, "messages_unroutable_returned_total") - global(before, "messages_unroutable_returned_total"))
        .isEqualTo(1);
    assertThat(classic(after, "messages_delivered_get_manual_ack_total")
        - classic(before, "messages_delivered_get_manual_ack_total")).isEqualTo(n);
    assertThat(classic(after, "messages_acknowledged_total") - classic(before, "messages_acknowledged_total")).isEqualTo(n);
    assertThat(classic(after, "messages_get_empty_total") - classic(before, "messages_get_empty_total")).isEqualTo(1);
    assertThat(value(after, "rabbitmq_global_messages_delivered_total",
        Map.of("protocol", "amqp091", "queue_type", "rabbit_quorum_queue"))).isZero();
  }

  @Test
  void theAggregatedChannelCountersKeepWhatClosedChannelsCounted() throws Exception {
    double before = value(scrape("/metrics"), "rabbitmq_channel_messages_published_total", Map.of());
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("prom-closed", false, false, false, null);
      for (int i = 0; i < 7; i++) {
        ch.basicPublish("", "prom-closed", null, new byte[] {1});
      }
      ch.queueDeclarePassive("prom-closed"); // a round trip: the publishes are in
    }
    Map<String, Family> after = scrape("/metrics");
    assertThat(value(after, "rabbitmq_channel_messages_published_total", Map.of()) - before)
        .as("the channel is closed, its publishes still count").isEqualTo(7);
    assertThat(value(after, "rabbitmq_channels_closed_total", Map.of())).isPositive();
  }

  @Test
  void aggregatedFamiliesHaveRabbitMqsTypesAndHelpAndNoLabels() {
    Map<String, Family> f = scrape("/metrics");
    assertThat(f.get("rabbitmq_queue_messages_ready").type()).isEqualTo("gauge");
    assertThat(f.get("rabbitmq_queue_messages_ready").help()).isEqualTo("Messages ready to be delivered to consumers");
    assertThat(f.get("rabbitmq_queue_messages_ready").samples()).singleElement()
        .satisfies(s -> assertThat(s.labels()).isEmpty());
    assertThat(f.get("rabbitmq_connections_opened_total").type()).isEqualTo("counter");
    assertThat(f.get("rabbitmq_queues").type()).isEqualTo("gauge");
    assertThat(f.get("rabbitmq_build_info").type()).isEqualTo("untyped");
    assertThat(f.get("rabbitmq_build_info").samples().getFirst().labels())
        .containsEntry("rabbitmq_version", "3.13.7").containsEntry("product_name", "WarrenMQ").containsKey("product_version");
    assertThat(f.get("rabbitmq_identity_info").samples().getFirst().labels())
        .containsKeys("rabbitmq_node", "rabbitmq_cluster", "rabbitmq_cluster_permanent_id");
    assertThat(f.get("rabbitmq_alarms_memory_used_watermark").samples().getFirst().value()).isZero();
    assertThat(f.get("rabbitmq_process_resident_memory_bytes").samples().getFirst().value()).isPositive();
    assertThat(f.get("warren_process_rss_anon_bytes").samples().getFirst().value()).isPositive();
    assertThat(f.get("warren_jvm_heap_bytes").value(Map.of("area", "used")).orElseThrow()).isPositive();
    assertThat(f.get("warren_store_fsync_duration_seconds").type()).isEqualTo("histogram");
    assertThat(f.get("warren_store_group_commit_batch_size").type()).isEqualTo("histogram");
  }

  @Test
  void persistentPublishesToADurableQueueAreFsyncedAndTimed() throws Exception {
    double before = value(scrape("/metrics"), "warren_store_fsyncs_total", Map.of());
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("prom-durable", true, false, false, null);
      ch.confirmSelect();
      ch.basicPublish("", "prom-durable", MessageProperties.PERSISTENT_BASIC, new byte[] {1});
      ch.waitForConfirmsOrDie(10_000);
    }
    Map<String, Family> f = scrape("/metrics");
    assertThat(value(f, "warren_store_fsyncs_total", Map.of())).isGreaterThan(before);
    assertThat(value(f, "warren_store_fsync_duration_seconds", Map.of("le", "+Inf"))).isPositive();
    assertThat(value(f, "warren_store_group_commit_batch_size", Map.of("le", "+Inf"))).isPositive();
    assertThat(value(f, "warren_store_segment_bytes", Map.of())).isPositive();
  }

  @Test
  void perObjectHasASeriesPerQueueLabelledVhostAndQueue() throws Exception {
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("prom-per-object", false, false, false, null);
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", "prom-per-object", null, new byte[] {1});
      }
      ch.queueDeclarePassive("prom-per-object");
      Map<String, Family> f = scrape("/metrics/per-object");
      Map<String, String> q = Map.of("vhost", "/", "queue", "prom-per-object");
      assertThat(value(f, "rabbitmq_queue_messages_ready", q)).isEqualTo(3);
      assertThat(value(f, "rabbitmq_queue_messages", q)).isEqualTo(3);
      assertThat(value(f, "rabbitmq_queue_consumers", q)).isZero();
      assertThat(value(f, "rabbitmq_queue_messages_published_total", Map.of("queue_vhost", "/", "queue", "prom-per-object")))
          .isEqualTo(3);
      assertThat(f.get("rabbitmq_channel_messages_published_total").samples())
          .allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("channel"))
          .anySatisfy(s -> assertThat(s.value()).isEqualTo(3));
      assertThat(f.get("rabbitmq_connection_incoming_bytes_total").samples()).isNotEmpty();
      assertThat(f).containsKeys("rabbitmq_queues", "rabbitmq_build_info", "rabbitmq_global_messages_received_total");
    }
  }

  @Test
  void detailedServesOnlyTheRequestedFamiliesAndTheRequestedVhostsQueues() {
    broker.server().broker().addVhost("prom-other");
    VirtualHost other = broker.server().broker().vhost("prom-other");
    other.declareQueue(new QueueSpec("prom-other", "elsewhere", false, false, false, FieldTable.EMPTY), new Object());
    broker.server().broker().vhost("/")
        .declareQueue(new QueueSpec("/", "here", false, false, false, FieldTable.EMPTY), new Object());
    Map<String, Family> f = scrape("/metrics/detailed?family=queue_coarse_metrics&vhost=prom-other");
    assertThat(f.keySet()).containsExactlyInAnyOrder("rabbitmq_detailed_queue_messages_ready",
        "rabbitmq_detailed_queue_messages_unacked", "rabbitmq_detailed_queue_messages", "rabbitmq_build_info",
        "rabbitmq_identity_info");
    assertThat(f.get("rabbitmq_detailed_queue_messages").samples()).singleElement()
        .satisfies(s -> assertThat(s.labels()).isEqualTo(Map.of("vhost", "prom-other", "queue", "elsewhere")));
    Map<String, Family> all = scrape("/metrics/detailed?family=queue_coarse_metrics&family=vhost_status");
    assertThat(all.get("rabbitmq_detailed_queue_messages").samples())
        .anySatisfy(s -> assertThat(s.labels()).containsEntry("queue", "here"));
    assertThat(all.get("rabbitmq_cluster_vhost_status").value(Map.of("vhost", "prom-other"))).contains(1.0);
    assertThat(scrape("/metrics/detailed").keySet())
        .as("no family asked for: identity only").containsExactly("rabbitmq_build_info", "rabbitmq_identity_info");
  }

  @Test
  void openMetricsIsServedToAClientThatAsksForIt() {
    Scrape s = PrometheusText.get(broker.prometheusPort(), "/metrics", "Accept",
        "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
    assertThat(s.contentType()).startsWith("application/openmetrics-text; version=1.0.0");
    assertThat(s.body()).endsWith("# EOF\n");
    assertThat(s.body().split("# EOF", -1)).as("one end of exposition").hasSize(2);
    assertThat(s.families()).containsKey("rabbitmq_global_messages_received");
  }

  @Test
  void anUnknownRegistryIs404() {
    Scrape s = PrometheusText.get(broker.prometheusPort(), "/metrics/nope");
    assertThat(s.status()).isEqualTo(404);
    assertThat(s.body()).isEqualTo("Unknown Registry");
  }

  /**
   * Every metric the RabbitMQ-Overview Grafana dashboard's queries name
   * (deps/rabbitmq_prometheus/docker/grafana/dashboards/RabbitMQ-Overview.json, 3.13.7) is served.
   */
  @Test
  void theRabbitMqOverviewDashboardFindsEverySeriesItQueries() {
    List<String> dashboard = List.of("rabbitmq_build_info", "rabbitmq_channels", "rabbitmq_channels_closed_total",
        "rabbitmq_channels_opened_total", "rabbitmq_connections", "rabbitmq_connections_closed_total",
        "rabbitmq_connections_opened_total", "rabbitmq_consumers", "rabbitmq_disk_space_available_bytes",
        "rabbitmq_global_messages_acknowledged_total", "rabbitmq_global_messages_confirmed_total",
        "rabbitmq_global_messages_delivered_consume_auto_ack_total",
        "rabbitmq_global_messages_delivered_consume_manual_ack_total",
        "rabbitmq_global_messages_delivered_get_auto_ack_total", "rabbitmq_global_messages_delivered_get_manual_ack_total",
        "rabbitmq_global_messages_get_empty_total", "rabbitmq_global_messages_received_confirm_total",
        "rabbitmq_global_messages_received_total", "rabbitmq_global_messages_redelivered_total",
        "rabbitmq_global_messages_routed_total", "rabbitmq_global_messages_unroutable_dropped_total",
        "rabbitmq_global_messages_unroutable_returned_total", "rabbitmq_global_publishers", "rabbitmq_identity_info",
        "rabbitmq_process_max_fds", "rabbitmq_process_max_tcp_sockets", "rabbitmq_process_open_fds",
        "rabbitmq_process_open_tcp_sockets", "rabbitmq_process_resident_memory_bytes",
        "rabbitmq_queue_messages_ready", "rabbitmq_queue_messages_unacked", "rabbitmq_queues",
        "rabbitmq_queues_created_total", "rabbitmq_queues_declared_total", "rabbitmq_queues_deleted_total",
        "rabbitmq_resident_memory_limit_bytes");
    Map<String, Family> f = scrape("/metrics");
    assertThat(f.keySet()).containsAll(dashboard);
    // the dashboard joins on these labels of rabbitmq_identity_info
    assertThat(f.get("rabbitmq_identity_info").samples().getFirst().labels()).containsKeys("rabbitmq_node", "rabbitmq_cluster");
  }
}
