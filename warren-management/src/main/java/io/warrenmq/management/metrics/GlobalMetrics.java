package io.warrenmq.management.metrics;

import static io.warrenmq.broker.stats.MessageCounts.ACK;
import static io.warrenmq.broker.stats.MessageCounts.CONFIRM;
import static io.warrenmq.broker.stats.MessageCounts.DELIVER;
import static io.warrenmq.broker.stats.MessageCounts.DELIVER_NO_ACK;
import static io.warrenmq.broker.stats.MessageCounts.DROP_UNROUTABLE;
import static io.warrenmq.broker.stats.MessageCounts.GET;
import static io.warrenmq.broker.stats.MessageCounts.GET_EMPTY;
import static io.warrenmq.broker.stats.MessageCounts.GET_NO_ACK;
import static io.warrenmq.broker.stats.MessageCounts.PUBLISH;
import static io.warrenmq.broker.stats.MessageCounts.RECEIVED_CONFIRM;
import static io.warrenmq.broker.stats.MessageCounts.REDELIVER;
import static io.warrenmq.broker.stats.MessageCounts.RETURN_UNROUTABLE;
import static io.warrenmq.broker.stats.MessageCounts.ROUTED;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.warrenmq.broker.Compatibility;
import io.warrenmq.broker.alarm.ResourceAlarms.Resource;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.vhost.VirtualHost;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * rabbitmq_prometheus's families besides the core tables: the global counters
 * (prometheus_rabbitmq_global_metrics_collector over rabbit_global_counters, labelled
 * {@code protocol="amqp091"} and, for deliveries, {@code queue_type}: WarrenMQ's queues are
 * classic ones, the quorum and stream series are there at 0 as RabbitMQ initialises them), the
 * object totals ({@code rabbitmq_connections}, ...), {@code rabbitmq_build_info} and
 * {@code rabbitmq_identity_info}, the alarms (prometheus_rabbitmq_alarm_metrics_collector) and {@code process_start_time_seconds}
 * (prometheus_process_collector). The dead-letter counters are not served.
 */
final class GlobalMetrics {
  private static final String[] QUEUE_TYPES = {"rabbit_classic_queue", "rabbit_quorum_queue", "rabbit_stream_queue"};
  private static final Labels PROTOCOL = Labels.of("protocol", "amqp091");

  private final String product;
  private final String version;

  /** @param product and version: {@code product_name} and {@code product_version} of build_info */
  GlobalMetrics(String product, String version) {
    this.product = product;
    this.version = version;
  }

  /** rabbitmq_global_*: protocol counters, then protocol and queue type counters. */
  List<Supplier<MetricSnapshot>> globals(Scrape s) {
    List<Supplier<MetricSnapshot>> out = new ArrayList<>();
    protocol(out, s, Family.counter("messages_received_total",
        "Total number of messages received from publishers", t -> t[PUBLISH]));
    protocol(out, s, Family.counter("messages_received_confirm_total",
        "Total number of messages received from publishers expecting confirmations", t -> t[RECEIVED_CONFIRM]));
    protocol(out, s, Family.counter("messages_routed_total",
        "Total number of messages routed to queues or streams", t -> t[ROUTED]));
    protocol(out, s, Family.counter("messages_unroutable_dropped_total",
        "Total number of messages published as non-mandatory into an exchange and dropped as unroutable",
        t -> t[DROP_UNROUTABLE]));
    protocol(out, s, Family.counter("messages_unroutable_returned_total",
        "Total number of messages published as mandatory into an exchange and returned to the publisher as unroutable",
        t -> t[RETURN_UNROUTABLE]));
    protocol(out, s, Family.counter("messages_confirmed_total",
        "Total number of messages confirmed to publishers", t -> t[CONFIRM]));
    out.add(() -> Family.<Scrape>gauge("publishers", "Current number of publishers", GlobalMetrics::publishers)
        .snapshot("rabbitmq_global_", List.of(s), List.of(PROTOCOL)));
    out.add(() -> Family.<Scrape>gauge("consumers", "Current number of consumers", GlobalMetrics::consumers)
        .snapshot("rabbitmq_global_", List.of(s), List.of(PROTOCOL)));
    queueType(out, s, "messages_delivered_total", "Total number of messages delivered to consumers",
        t -> t[DELIVER] + t[DELIVER_NO_ACK] + t[GET] + t[GET_NO_ACK]);
    queueType(out, s, "messages_delivered_consume_manual_ack_total",
        "Total number of messages delivered to consumers using basic.consume with manual acknowledgment", t -> t[DELIVER]);
    queueType(out, s, "messages_delivered_consume_auto_ack_total",
        "Total number of messages delivered to consumers using basic.consume with automatic acknowledgment",
        t -> t[DELIVER_NO_ACK]);
    queueType(out, s, "messages_delivered_get_manual_ack_total",
        "Total number of messages delivered to consumers using basic.get with manual acknowledgment", t -> t[GET]);
    queueType(out, s, "messages_delivered_get_auto_ack_total",
        "Total number of messages delivered to consumers using basic.get with automatic acknowledgment", t -> t[GET_NO_ACK]);
    queueType(out, s, "messages_get_empty_total", "Total number of times basic.get operations fetched no message",
        t -> t[GET_EMPTY]);
    queueType(out, s, "messages_redelivered_total", "Total number of messages redelivered to consumers",
        t -> t[REDELIVER]);
    queueType(out, s, "messages_acknowledged_total", "Total number of messages acknowledged by consumers", t -> t[ACK]);
    return out;
  }

  private static void protocol(List<Supplier<MetricSnapshot>> out, Scrape s, Family<long[]> f) {
    out.add(() -> f.snapshot("rabbitmq_global_", List.of(s.totals()), List.of(PROTOCOL)));
  }

  private static void queueType(List<Supplier<MetricSnapshot>> out, Scrape s, String name, String help,
      ToDoubleFunction<long[]> value) {
    out.add(() -> {
      long[] none = new long[s.totals().length];
      List<long[]> values = List.of(s.totals(), none, none);
      List<Labels> labels = new ArrayList<>();
      for (String t : QUEUE_TYPES) {
        labels.add(Labels.of("protocol", "amqp091", "queue_type", t));
      }
      return Family.counter(name, help, value).snapshot("rabbitmq_global_", values, labels);
    });
  }

  private static double publishers(Scrape s) {
    long n = 0;
    for (VirtualHost vh : s.broker.vhosts()) {
      n += vh.stats().publishers();
    }
    return n;
  }

  private static double consumers(Scrape s) {
    long n = 0;
    for (ChannelView ch : s.channels()) {
      n += ch.consumerCount();
    }
    return n;
  }

  /** rabbitmq_connections, _channels, _consumers, _queues (the collector's TOTALS). */
  List<Supplier<MetricSnapshot>> totals(Scrape s) {
    return List.of(
        () -> Family.<Scrape>gauge("connections", "Connections currently open", x -> x.connections().size())
            .single("rabbitmq_", s),
        () -> Family.<Scrape>gauge("channels", "Channels currently open", x -> x.channels().size()).single("rabbitmq_", s),
        () -> Family.<Scrape>gauge("consumers", "Consumers currently connected", GlobalMetrics::consumers)
            .single("rabbitmq_", s),
        () -> Family.<Scrape>gauge("queues", "Queues available", x -> x.queues().size()).single("rabbitmq_", s));
  }

  /**
   * rabbitmq_build_info (RabbitMQ's version followed, and WarrenMQ's as the product) and
   * rabbitmq_identity_info (node, cluster name, a permanent cluster id).
   */
  List<Supplier<MetricSnapshot>> identity(Scrape s) {
    String node = s.broker.pids().node();
    return List.of(
        () -> Family.<Scrape>untyped("build_info", "RabbitMQ & Erlang/OTP version info", x -> 1)
            .snapshot("rabbitmq_", List.of(s), List.of(Labels.of(
                "product_name", product, "product_version", version,
                "rabbitmq_version", Compatibility.RABBITMQ_VERSION,
                "prometheus_plugin_version", Compatibility.RABBITMQ_VERSION,
                "prometheus_client_version", "1.10.0",
                "java_version", Runtime.version().toString()))),
        () -> Family.<Scrape>untyped("identity_info", "RabbitMQ node & cluster identity info", x -> 1)
            .snapshot("rabbitmq_", List.of(s), List.of(Labels.of(
                "rabbitmq_node", node, "rabbitmq_cluster", node,
                "rabbitmq_cluster_permanent_id", permanentId(node, s.broker.options().dataDir().toAbsolutePath().toString())))));
  }

  /** RabbitMQ's "rabbitmq-cluster-id-" and a stable id: here a hash of the node and its data directory. */
  static String permanentId(String node, String dataDir) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((node + "\0" + dataDir).getBytes(StandardCharsets.UTF_8));
      return "rabbitmq-cluster-id-" + Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 22);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * rabbitmq_alarms_*: untyped, 1 while the alarm is in effect (the broker's resource alarms;
   * WarrenMQ raises no file descriptor alarm, as RabbitMQ 3.13 on Linux does not).
   */
  List<Supplier<MetricSnapshot>> alarms(Scrape s) {
    return List.of(
        () -> Family.<Scrape>untyped("file_descriptor_limit", "is 1 if file descriptor limit alarm is in effect", x -> 0)
            .single("rabbitmq_alarms_", s),
        () -> Family.<Scrape>untyped("free_disk_space_watermark", "is 1 if free disk space watermark alarm is in effect",
            x -> x.broker.alarms().isActive(Resource.DISK) ? 1 : 0).single("rabbitmq_alarms_", s),
        () -> Family.<Scrape>untyped("memory_used_watermark", "is 1 if VM memory watermark alarm is in effect",
            x -> x.broker.alarms().isActive(Resource.MEMORY) ? 1 : 0)
            .single("rabbitmq_alarms_", s));
  }

  /** process_start_time_seconds (prometheus_process_collector). */
  Supplier<MetricSnapshot> processStart(Scrape s) {
    double start = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
    return () -> Family.<Scrape>gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
        x -> Math.floor(start)).single("", s);
  }

}
