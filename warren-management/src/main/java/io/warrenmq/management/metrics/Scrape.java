package io.warrenmq.management.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.stats.Totals;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one scrape reads, gathered once and shared by its families: the queues (with their labels
 * {@code vhost}, {@code queue}), the channels and connections (labelled {@code channel} with their
 * pid, as rabbitmq_prometheus labels both), the node's totals. Each list is built when a family
 * first needs it.
 *
 * <p>Threading: one request's, on its thread.
 */
final class Scrape {
  final Broker broker;
  private final @Nullable Set<String> vhosts;
  private @Nullable List<Queue> queues;
  private @Nullable List<Labels> queueLabels;
  private @Nullable List<ChannelView> channels;
  private @Nullable List<Labels> channelLabels;
  private @Nullable List<ConnectionView> connections;
  private @Nullable List<Labels> connectionLabels;
  private long @Nullable [] totals;

  /** @param vhosts the vhosts whose queues are shown (detailed's {@code vhost=} filter), null for all */
  Scrape(Broker broker, @Nullable Set<String> vhosts) {
    this.broker = broker;
    this.vhosts = vhosts;
  }

  List<Queue> queues() {
    if (queues == null) {
      List<Queue> qs = new ArrayList<>();
      for (VirtualHost vh : broker.vhosts()) {
        if (vhosts == null || vhosts.contains(vh.name())) {
          vh.forEachQueue(qs::add);
        }
      }
      queues = qs;
    }
    return queues;
  }

  /** The queues' labels, made only for per-object families (the aggregated ones need none). */
  List<Labels> queueLabels() {
    if (queueLabels == null) {
      List<Queue> qs = queues();
      List<Labels> ls = new ArrayList<>(qs.size());
      for (Queue q : qs) {
        ls.add(Labels.of("vhost", q.spec().vhost(), "queue", q.name()));
      }
      queueLabels = ls;
    }
    return queueLabels;
  }

  List<ChannelView> channels() {
    if (channels == null) {
      List<ChannelView> cs = new ArrayList<>();
      List<Labels> ls = new ArrayList<>();
      for (ConnectionView c : connections()) {
        for (ChannelView ch : c.channels()) {
          cs.add(ch);
          ls.add(Labels.of("channel", ch.pid()));
        }
      }
      channels = cs;
      channelLabels = ls;
    }
    return channels;
  }

  List<Labels> channelLabels() {
    channels();
    return channelLabels;
  }

  List<ConnectionView> connections() {
    if (connections == null) {
      connections = broker.connections().list();
      List<Labels> ls = new ArrayList<>(connections.size());
      for (ConnectionView c : connections) {
        ls.add(Labels.of("channel", c.pid()));
      }
      connectionLabels = ls;
    }
    return connections;
  }

  List<Labels> connectionLabels() {
    connections();
    return connectionLabels;
  }

  /** The node's totals vector (io.warrenmq.management.stats.StatsSampler's layout, with the churn). */
  long[] totals() {
    if (totals == null) {
      totals = Totals.node(broker);
    }
    return totals;
  }
}
