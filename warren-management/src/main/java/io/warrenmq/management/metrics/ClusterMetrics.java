package io.warrenmq.management.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The families only {@code /metrics/detailed} serves, under {@code rabbitmq_cluster_}
 * (prometheus_rabbitmq_core_metrics_collector METRICS_CLUSTER): {@code vhost_status} (1 for a
 * running vhost), {@code exchange_bindings} (bindings whose source is the exchange) and
 * {@code exchange_name} (1 per exchange), both leaving out internal exchanges and the default one,
 * labelled {@code vhost, exchange, type}.
 */
final class ClusterMetrics {
  static final List<String> TABLES = List.of("vhost_status", "exchange_bindings", "exchange_names");

  List<Supplier<MetricSnapshot>> families(Scrape s, @Nullable Set<String> tables) {
    List<Supplier<MetricSnapshot>> out = new ArrayList<>();
    String prefix = "rabbitmq_cluster_";
    if (tables != null && tables.contains("vhost_status")) {
      out.add(() -> {
        List<VirtualHost> vhosts = s.broker.vhosts();
        List<Labels> labels = new ArrayList<>();
        for (VirtualHost vh : vhosts) {
          labels.add(Labels.of("vhost", vh.name()));
        }
        return Family.<VirtualHost>gauge("vhost_status", "Whether a given vhost is running", vh -> 1)
            .snapshot(prefix, vhosts, labels);
      });
    }
    if (tables != null && tables.contains("exchange_bindings")) {
      out.add(() -> {
        List<Exchange> xs = new ArrayList<>();
        List<Labels> labels = new ArrayList<>();
        Map<Exchange, Integer> counts = new IdentityHashMap<>();
        for (VirtualHost vh : s.broker.vhosts()) {
          exchanges(vh, xs, labels);
          for (Binding b : vh.bindings()) {
            counts.merge(b.source(), 1, Integer::sum);
          }
        }
        return Family.<Exchange>gauge("exchange_bindings",
            "Number of bindings for an exchange. This value is cluster-wide.", x -> counts.getOrDefault(x, 0))
            .snapshot(prefix, xs, labels);
      });
    }
    if (tables != null && tables.contains("exchange_names")) {
      out.add(() -> {
        List<Exchange> xs = new ArrayList<>();
        List<Labels> labels = new ArrayList<>();
        for (VirtualHost vh : s.broker.vhosts()) {
          exchanges(vh, xs, labels);
        }
        return Family.<Exchange>gauge("exchange_name",
            "Enumerates exchanges without any additional info. This value is cluster-wide. A cheaper alternative to `exchange_bindings`",
            x -> 1).snapshot(prefix, xs, labels);
      });
    }
    return out;
  }

  private static void exchanges(VirtualHost vh, List<Exchange> xs, List<Labels> labels) {
    for (Exchange x : vh.exchanges()) {
      if (x.spec().internal() || x.name().isEmpty()) {
        continue;
      }
      xs.add(x);
      labels.add(Labels.of("vhost", vh.name(), "exchange", x.name(), "type", x.type()));
    }
  }
}
