package io.warrenmq.management.metrics;

import static io.warrenmq.broker.stats.MessageCounts.ACK;
import static io.warrenmq.broker.stats.MessageCounts.CONFIRM;
import static io.warrenmq.broker.stats.MessageCounts.DELIVER;
import static io.warrenmq.broker.stats.MessageCounts.DELIVER_NO_ACK;
import static io.warrenmq.broker.stats.MessageCounts.DISK_READS;
import static io.warrenmq.broker.stats.MessageCounts.DISK_WRITES;
import static io.warrenmq.broker.stats.MessageCounts.DROP_UNROUTABLE;
import static io.warrenmq.broker.stats.MessageCounts.GET;
import static io.warrenmq.broker.stats.MessageCounts.GET_EMPTY;
import static io.warrenmq.broker.stats.MessageCounts.GET_NO_ACK;
import static io.warrenmq.broker.stats.MessageCounts.PUBLISH;
import static io.warrenmq.broker.stats.MessageCounts.REDELIVER;
import static io.warrenmq.broker.stats.MessageCounts.RETURN_UNROUTABLE;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.management.stats.StatsSampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * rabbitmq_prometheus's core metrics (prometheus_rabbitmq_core_metrics_collector, METRICS_RAW),
 * group by group under RabbitMQ's table names, with its family names, types and help texts where
 * WarrenMQ has the value; families RabbitMQ has and WarrenMQ cannot fill (Erlang's, Raft's,
 * reductions, per-queue memory) are left out rather than faked. Aggregated ({@code /metrics}),
 * each family is one unlabelled sum; per object, a queue is labelled {@code vhost, queue}, a
 * channel and (as RabbitMQ labels it) a connection {@code channel=<pid>}.
 *
 * <p>Where WarrenMQ counts per channel or per queue but RabbitMQ per pair
 * (channel_queue_metrics per channel and queue, channel_exchange_metrics per channel and
 * exchange, channel_queue_exchange_metrics per channel, queue and exchange), the per-object series
 * are per channel, or per queue ({@code queue_vhost, queue}). Aggregated channel and connection
 * counters are the node's totals, closed channels included, so they never go back (RabbitMQ's sum
 * over its live table entries does).
 */
final class CoreMetrics {
  /** RabbitMQ's groups (METRICS_RAW tables), in its order; the names {@code family=} takes. */
  static final List<String> TABLES = List.of("connection_churn_metrics", "node_coarse_metrics", "node_metrics",
      "node_persister_metrics", "queue_coarse_metrics", "queue_consumer_count", "queue_metrics", "channel_metrics",
      "channel_exchange_metrics", "channel_queue_metrics", "connection_coarse_metrics", "connection_metrics",
      "channel_queue_exchange_metrics");

  /** A family and, for the aggregated view, its value from the node's totals instead of a sum. */
  private record Def<T>(Family<T> family, @Nullable ToDoubleFunction<long[]> total) {}

  private final NodeMetrics node;

  CoreMetrics(NodeMetrics node) {
    this.node = node;
  }

  /**
   * The families of {@code tables} (null: all), as suppliers so that each is read when written.
   * {@code perObject} labels each object's series; otherwise each family is one sum.
   */
  List<Supplier<MetricSnapshot>> families(Scrape s, String prefix, boolean perObject, @Nullable Set<String> tables) {
    List<Supplier<MetricSnapshot>> out = new ArrayList<>();
    for (String t : TABLES) {
      if (tables != null && !tables.contains(t)) {
        continue;
      }
      // queue_consumer_count is queue_metrics' consumers alone: one of them (mutually_exclusive_mf)
      if (t.equals("queue_consumer_count") && (tables == null || tables.contains("queue_metrics"))) {
        continue;
      }
      switch (t) {
        case "connection_churn_metrics" -> nodeFamilies(out, s, prefix, node.churn());
        case "node_coarse_metrics" -> nodeFamilies(out, s, prefix, node.coarse());
        case "node_metrics" -> nodeFamilies(out, s, prefix, node.limits());
        case "node_persister_metrics" -> nodeFamilies(out, s, prefix, node.persister());
        case "queue_coarse_metrics" -> objects(out, s, s::queues, s::queueLabels, prefix, perObject, QUEUE_COARSE);
        case "queue_consumer_count" -> objects(out, s, s::queues, s::queueLabels, prefix, perObject, List.of(QUEUE_CONSUMERS));
        case "queue_metrics" -> objects(out, s, s::queues, s::queueLabels, prefix, perObject, QUEUE);
        case "channel_metrics" -> objects(out, s, s::channels, s::channelLabels, prefix, perObject, CHANNEL);
        case "channel_exchange_metrics" -> objects(out, s, s::channels, s::channelLabels, prefix, perObject, CHANNEL_EXCHANGE);
        case "channel_queue_metrics" -> objects(out, s, s::channels, s::channelLabels, prefix, perObject, CHANNEL_QUEUE);
        case "connection_coarse_metrics" ->
            objects(out, s, s::connections, s::connectionLabels, prefix, perObject, CONNECTION_COARSE);
        case "connection_metrics" -> objects(out, s, s::connections, s::connectionLabels, prefix, perObject, CONNECTION);
        case "channel_queue_exchange_metrics" ->
            objects(out, s, s::queues, () -> publishedLabels(s), prefix, perObject, QUEUE_PUBLISHED);
        default -> throw new IllegalStateException(t);
      }
    }
    return out;
  }

  private static void nodeFamilies(List<Supplier<MetricSnapshot>> out, Scrape s, String prefix,
      List<Family<Scrape>> families) {
    for (Family<Scrape> f : families) {
      out.add(() -> f.single(prefix, s));
    }
  }

  private static <T> void objects(List<Supplier<MetricSnapshot>> out, Scrape s, Supplier<List<T>> objects,
      Supplier<List<Labels>> labels, String prefix, boolean perObject, List<Def<T>> defs) {
    for (Def<T> d : defs) {
      out.add(() -> {
        if (perObject) {
          return d.family().snapshot(prefix, objects.get(), labels.get());
        }
        double sum = 0;
        if (d.total() != null) {
          sum = d.total().applyAsDouble(s.totals());
        } else {
          for (T t : objects.get()) {
            sum += d.family().value().applyAsDouble(t);
          }
        }
        return d.family().value(prefix, sum);
      });
    }
  }

  private static List<Labels> publishedLabels(Scrape s) {
    List<Labels> out = new ArrayList<>();
    for (Labels l : s.queueLabels()) {
      out.add(Labels.of("queue_vhost", l.get("vhost"), "queue", l.get("queue")));
    }
    return out;
  }

  // ---------------------------------------------------------------- queues

  private static double count(@Nullable MessageCounts c, int i) {
    return c == null ? 0 : c.get(i);
  }

  private static final List<Def<Queue>> QUEUE_COARSE = List.of(
      new Def<>(Family.gauge("queue_messages_ready", "Messages ready to be delivered to consumers",
          Queue::messageCount), null),
      new Def<>(Family.gauge("queue_messages_unacked", "Messages delivered to consumers but not yet acknowledged",
          Queue::unackedCount), null),
      new Def<>(Family.gauge("queue_messages", "Sum of ready and unacknowledged messages - total queue depth",
          q -> q.messageCount() + q.unackedCount()), null));

  private static final Def<Queue> QUEUE_CONSUMERS =
      new Def<>(Family.gauge("queue_consumers", "Consumers on a queue", Queue::consumerCount), null);

  private static final List<Def<Queue>> QUEUE = List.of(
      QUEUE_CONSUMERS,
      new Def<>(Family.counter("queue_disk_reads_total", "Total number of times queue read messages from disk",
          q -> count(q.counts(), DISK_READS)), null),
      new Def<>(Family.counter("queue_disk_writes_total", "Total number of times queue wrote messages to disk",
          q -> count(q.counts(), DISK_WRITES)), null));

  private static final List<Def<Queue>> QUEUE_PUBLISHED = List.of(
      new Def<>(Family.counter("queue_messages_published_total", "Total number of messages published to queues",
          q -> count(q.counts(), PUBLISH)), null));

  // ---------------------------------------------------------------- channels

  private static final List<Def<ChannelView>> CHANNEL = List.of(
      new Def<>(Family.gauge("channel_consumers", "Consumers on a channel", ChannelView::consumerCount), null),
      new Def<>(Family.gauge("channel_messages_unacked", "Delivered but not yet acknowledged messages",
          ChannelView::messagesUnacknowledged), null),
      new Def<>(Family.gauge("channel_messages_unconfirmed", "Published but not yet confirmed messages",
          ChannelView::messagesUnconfirmed), null),
      new Def<>(Family.gauge("channel_messages_uncommitted", "Messages received in a transaction but not yet committed",
          ChannelView::messagesUncommitted), null),
      new Def<>(Family.gauge("channel_acks_uncommitted", "Message acknowledgements in a transaction not yet committed",
          ChannelView::acksUncommitted), null),
      new Def<>(Family.gauge("consumer_prefetch", "Limit of unacknowledged messages for each consumer",
          ChannelView::prefetchCount), null),
      new Def<>(Family.gauge("channel_prefetch", "Total limit of unacknowledged messages for all consumers on a channel",
          ChannelView::globalPrefetchCount), null));

  private static Def<ChannelView> channelCounter(String name, String help, int i) {
    return new Def<>(Family.counter(name, help, ch -> ch.counts().get(i)), t -> t[i]);
  }

  private static final List<Def<ChannelView>> CHANNEL_EXCHANGE = List.of(
      channelCounter("channel_messages_published_total",
          "Total number of messages published into an exchange on a channel", PUBLISH),
      channelCounter("channel_messages_confirmed_total",
          "Total number of messages published into an exchange and confirmed on the channel", CONFIRM),
      channelCounter("channel_messages_unroutable_returned_total",
          "Total number of messages published as mandatory into an exchange and returned to the publisher as unroutable",
          RETURN_UNROUTABLE),
      channelCounter("channel_messages_unroutable_dropped_total",
          "Total number of messages published as non-mandatory into an exchange and dropped as unroutable",
          DROP_UNROUTABLE));

  private static final List<Def<ChannelView>> CHANNEL_QUEUE = List.of(
      channelCounter("channel_get_ack_total",
          "Total number of messages fetched with basic.get in manual acknowledgement mode", GET),
      channelCounter("channel_get_total",
          "Total number of messages fetched with basic.get in automatic acknowledgement mode", GET_NO_ACK),
      channelCounter("channel_messages_delivered_ack_total",
          "Total number of messages delivered to consumers in manual acknowledgement mode", DELIVER),
      channelCounter("channel_messages_delivered_total",
          "Total number of messages delivered to consumers in automatic acknowledgement mode", DELIVER_NO_ACK),
      channelCounter("channel_messages_redelivered_total", "Total number of messages redelivered to consumers",
          REDELIVER),
      channelCounter("channel_messages_acked_total", "Total number of messages acknowledged by consumers", ACK),
      channelCounter("channel_get_empty_total",
          "Total number of times basic.get operations fetched no message", GET_EMPTY));

  // ---------------------------------------------------------------- connections

  private static final List<Def<ConnectionView>> CONNECTION_COARSE = List.of(
      new Def<>(Family.counter("connection_incoming_bytes_total", "Total number of bytes received on a connection",
          ConnectionView::recvOct), t -> t[StatsSampler.V_RECV]),
      new Def<>(Family.counter("connection_outgoing_bytes_total", "Total number of bytes sent on a connection",
          ConnectionView::sendOct), t -> t[StatsSampler.V_SEND]));

  private static final List<Def<ConnectionView>> CONNECTION = List.of(
      new Def<>(Family.counter("connection_incoming_packets_total", "Total number of packets received on a connection",
          ConnectionView::recvCnt), null),
      new Def<>(Family.counter("connection_outgoing_packets_total", "Total number of packets sent on a connection",
          ConnectionView::sendCnt), null),
      new Def<>(Family.gauge("connection_pending_packets", "Number of packets waiting to be sent on a connection",
          ConnectionView::sendPend), null),
      new Def<>(Family.gauge("connection_channels", "Channels on a connection", ConnectionView::channelCount), null));
}
