package io.warrenmq.management.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.http.HttpService;
import io.warrenmq.management.http.Request;
import io.warrenmq.management.http.Response;
import io.warrenmq.management.http.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The Prometheus listener's service, as rabbitmq_prometheus dispatches it
 * (rabbit_prometheus_dispatcher: {@code /metrics/[:registry]}): {@code /metrics} the aggregated
 * families, {@code /metrics/per-object} each queue, channel and connection on its own,
 * {@code /metrics/detailed?family=...&vhost=...} only the requested groups under
 * {@code rabbitmq_detailed_} (queues of the given vhosts only), any other registry 404 "Unknown
 * Registry". No authentication, as rabbitmq_prometheus by default.
 *
 * <p>The answer is the Prometheus text format 0.0.4, or OpenMetrics 1.0 for a client whose
 * {@code Accept} asks for {@code application/openmetrics-text}; each family is read and written
 * in turn, so that 100,000 queues never stand in memory as a whole answer: at most one family's
 * snapshot and one chunk at a time.
 *
 * <p>Threading: requests on the listener's blocking executor.
 */
public final class MetricsEndpoint {
  private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

  private final Broker broker;
  private final CoreMetrics core;
  private final GlobalMetrics global;
  private final ClusterMetrics cluster = new ClusterMetrics();
  private final WarrenMetrics warren = new WarrenMetrics();

  private MetricsEndpoint(Broker broker, String product, String version) {
    this.broker = broker;
    this.core = new CoreMetrics(new NodeMetrics(broker));
    this.global = new GlobalMetrics(product, version);
  }

  /** The service for the Prometheus listener; {@code version} is WarrenMQ's, for build_info. */
  public static HttpService service(Broker broker, String version) {
    MetricsEndpoint m = new MetricsEndpoint(broker, "WarrenMQ", version);
    Router router = new Router();
    router.get("/metrics", (r, p) -> m.answer(r, m.aggregated(new Scrape(broker, null))));
    router.get("/metrics/{registry}", (r, p) -> m.registry(r, p));
    return router;
  }

  private Response registry(Request r, Map<String, String> params) {
    return switch (params.get("registry")) {
      case "per-object" -> answer(r, perObject(new Scrape(broker, null)));
      case "detailed" -> detailed(r);
      default -> Response.text(404, "text/plain", "Unknown Registry");
    };
  }

  /** The default registry: core (aggregated), totals, identity, globals, alarms, process, warren_*. */
  List<Supplier<MetricSnapshot>> aggregated(Scrape s) {
    List<Supplier<MetricSnapshot>> f = new ArrayList<>(core.families(s, "rabbitmq_", false, null));
    f.addAll(global.totals(s));
    f.addAll(global.identity(s));
    f.addAll(global.globals(s));
    f.addAll(global.alarms(s));
    f.add(global.processStart(s));
    f.addAll(warren.families(s));
    return f;
  }

  /** The per-object registry: core per object, totals, identity, globals, warren_*. */
  List<Supplier<MetricSnapshot>> perObject(Scrape s) {
    List<Supplier<MetricSnapshot>> f = new ArrayList<>(core.families(s, "rabbitmq_", true, null));
    f.addAll(global.totals(s));
    f.addAll(global.identity(s));
    f.addAll(global.globals(s));
    f.addAll(warren.families(s));
    return f;
  }

  /**
   * The detailed registry (collect_mf('detailed')): the groups named by {@code family=} (RabbitMQ's
   * table names; unknown ones are ignored), per object under {@code rabbitmq_detailed_}, queues
   * only of the existing vhosts named by {@code vhost=}; the cluster groups; identity.
   */
  private Response detailed(Request r) {
    List<String> families = r.query().getOrDefault("family", List.of());
    List<String> vhostParams = r.query().get("vhost");
    Set<String> vhosts = null;
    if (vhostParams != null) {
      vhosts = new HashSet<>();
      for (String v : vhostParams) {
        VirtualHost vh = broker.vhost(v);
        if (vh != null) {
          vhosts.add(v);
        }
      }
    }
    Set<String> tables = new LinkedHashSet<>(families);
    Scrape s = new Scrape(broker, vhosts);
    List<Supplier<MetricSnapshot>> f = new ArrayList<>(core.families(s, "rabbitmq_detailed_", true, tables));
    f.addAll(cluster.families(s, tables));
    f.addAll(global.identity(s));
    return answer(r, f);
  }

  private Response answer(Request r, List<Supplier<MetricSnapshot>> families) {
    String accept = r.header("accept");
    boolean openMetrics = accept != null && accept.contains("application/openmetrics-text");
    ExpositionFormatWriter writer = openMetrics ? OpenMetricsTextFormatWriter.create() : PrometheusTextFormatWriter.create();
    String type = openMetrics ? OpenMetricsTextFormatWriter.CONTENT_TYPE : PrometheusTextFormatWriter.CONTENT_TYPE;
    return Response.written(200, type, out -> write(out, writer, openMetrics, families));
  }

  /** Writes each family in turn; OpenMetrics's "# EOF" once, at the end. */
  static void write(OutputStream out, ExpositionFormatWriter writer, boolean openMetrics,
      List<Supplier<MetricSnapshot>> families) throws IOException {
    ByteArrayOutputStream one = new ByteArrayOutputStream(4096);
    for (Supplier<MetricSnapshot> f : families) {
      @Nullable MetricSnapshot snapshot = f.get();
      if (snapshot == null) {
        continue;
      }
      one.reset();
      writer.write(one, MetricSnapshots.of(snapshot));
      int n = one.size();
      if (openMetrics && n >= EOF.length) {
        n -= EOF.length; // each write ends the exposition: only the whole answer's end may say so
      }
      one.writeTo(new LimitedStream(out, n));
    }
    if (openMetrics) {
      out.write(EOF);
    }
  }

  /** Passes on the first {@code limit} bytes written to it. */
  private static final class LimitedStream extends OutputStream {
    private final OutputStream out;
    private int left;

    LimitedStream(OutputStream out, int limit) {
      this.out = out;
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      if (left > 0) {
        out.write(b);
        left--;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int n = Math.min(len, left);
      if (n > 0) {
        out.write(b, off, n);
        left -= n;
      }
    }
  }
}
