package io.warrenmq.management.stats;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.api.ObjectStats;
import io.warrenmq.management.auth.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The management API's {@link ObjectStats} over a running {@link StatsSampler}: each method hands
 * its object to {@link MessageStatsJson} with the request's {@link Ranges}, which {@link
 * #forRequest} reads once per request. Its {@code rates_mode} is "basic" and its {@code
 * sample_retention_policies} those its sample histories keep.
 *
 * <p>Threading: immutable; thread-safe as {@link MessageStatsJson} is.
 */
public final class SampledStats implements ObjectStats {
  private final MessageStatsJson json;
  private final Ranges ranges;

  /** The statistics of {@code broker} that {@code sampler} samples; ranges come with a request. */
  public SampledStats(Broker broker, StatsSampler sampler) {
    this(new MessageStatsJson(broker, sampler), Ranges.NONE);
  }

  private SampledStats(MessageStatsJson json, Ranges ranges) {
    this.json = json;
    this.ranges = ranges;
  }

  @Override
  public ObjectStats forRequest(Function<String, @Nullable String> query) {
    return new SampledStats(json, Ranges.of(query));
  }

  /** "basic": rates of queues, exchanges, channels, connections and vhosts, no per-pair details. */
  @Override
  public String ratesMode() {
    return "basic";
  }

  /** The histories' ages; there are no "detailed" (per-pair) statistics. */
  @Override
  public Map<String, List<Long>> sampleRetentionPolicies() {
    Map<String, List<Long>> m = new LinkedHashMap<>();
    m.put("global", ages(SampleHistory.GLOBAL));
    m.put("basic", ages(SampleHistory.BASIC));
    m.put("detailed", List.of());
    return m;
  }

  @Override
  public void queue(Queue queue, Map<String, Object> out, boolean detailed) {
    json.queue(queue, ranges, out);
    if (detailed) {
      noPairs(out, "deliveries", "incoming");
    }
  }

  @Override
  public void exchange(VirtualHost vhost, Exchange exchange, Map<String, Object> out, boolean detailed) {
    json.exchange(exchange, ranges, out);
    if (detailed) {
      noPairs(out, "incoming", "outgoing");
    }
  }

  @Override
  public void connection(ConnectionView connection, Map<String, Object> out) {
    json.connection(connection, ranges, out);
  }

  @Override
  public void channel(ChannelView channel, Map<String, Object> out, boolean detailed) {
    json.channel(channel, ranges, out);
    if (detailed) {
      noPairs(out, "publishes", "deliveries");
    }
  }

  @Override
  public void vhost(VirtualHost vhost, Map<String, Object> out) {
    json.vhost(vhost, ranges, out);
  }

  /**
   * A monitoring user sees the node's totals (get_overview(Range)), others those of the vhosts
   * they see and their own connections (get_overview(User, Range)).
   */
  @Override
  public boolean overview(Principal principal, Map<String, Object> out) {
    out.putAll(json.overview(principal.visibleVhosts(), principal.isMonitor() ? null : principal.name(), ranges));
    return true;
  }

  /**
   * The per-pair breakdowns of a detail page (a queue's deliveries and incoming, an exchange's
   * incoming and outgoing, a channel's publishes and deliveries) as rates_mode basic renders
   * them: empty lists. WarrenMQ keeps no per-pair counts.
   */
  private static void noPairs(Map<String, Object> out, String... keys) {
    for (String k : keys) {
      out.put(k, List.of());
    }
  }

  /**
   * A retention policy's ages as rabbit_mgmt_wm_overview shows them: each tier's span rounded to
   * the range it serves (605 s is the last ten minutes, 600).
   */
  private static List<Long> ages(long[][] policy) {
    List<Long> out = new ArrayList<>(policy.length);
    for (long[] tier : policy) {
      long span = tier[0];
      long age = span <= 66 ? 60 : span >= 540 && span <= 660 ? 600 : span >= 3240 && span <= 3960 ? 3600
          : span >= 25920 && span <= 31681 ? 28800 : span >= 77760 && span <= 95041 ? 86400 : 0;
      out.add(age);
    }
    out.sort(null);
    return out;
  }
}
