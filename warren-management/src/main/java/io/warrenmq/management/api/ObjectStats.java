package io.warrenmq.management.api;

import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Principal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The seam where message statistics join the objects' JSON: {@code message_stats} with its counts
 * and {@code details.rate}, the {@code *_details} rates of counts and traffic, the samples the UI
 * charts, a vhost's statistics and the overview's totals. A controller asks for the statistics of
 * its request once ({@link #forRequest}: the sample ranges of {@code ?lengths_age=...} are read
 * there) and hands them to the renderers, which call one method per object after the object's own
 * fields, with the map they answer; an implementation adds its keys there (and may overwrite the
 * renderer's own figures with the same values). {@link #NONE} adds nothing: what the API answers
 * without a statistics sampler, and under {@code ?disable_stats=true}. The implementation lives in
 * the {@code stats} package, which depends on this one.
 */
public interface ObjectStats {
  ObjectStats NONE = new ObjectStats() {};

  /**
   * The statistics for one request whose query parameters {@code query} gives: its sample ranges
   * are read once here (a bad one is 400 "Invalid range parameters"), so that every object of a
   * listing is rendered against the same ranges.
   */
  default ObjectStats forRequest(Function<String, @Nullable String> query) {
    return this;
  }

  /** The overview's {@code rates_mode}: "none" without statistics (RabbitMQ's rates_mode setting). */
  default String ratesMode() {
    return "none";
  }

  /**
   * The overview's {@code sample_retention_policies}: for "global" (overview, vhosts), "basic"
   * (objects) and "detailed", the ages in seconds whose samples are kept.
   */
  default Map<String, List<Long>> sampleRetentionPolicies() {
    return Map.of("global", List.of(), "basic", List.of(), "detailed", List.of());
  }

  /** A queue; {@code detailed} for {@code /api/queues/detailed} and the queue's own page. */
  default void queue(Queue queue, Map<String, Object> json, boolean detailed) {}

  /** An exchange of {@code vhost}; {@code detailed} for the exchange's own page. */
  default void exchange(VirtualHost vhost, Exchange exchange, Map<String, Object> json, boolean detailed) {}

  /** A connection. */
  default void connection(ConnectionView connection, Map<String, Object> json) {}

  /** A channel; {@code detailed} for the channel's own page. */
  default void channel(ChannelView channel, Map<String, Object> json, boolean detailed) {}

  /** A vhost of {@code /api/vhosts} (rabbit_mgmt_db:augment_vhosts). */
  default void vhost(VirtualHost vhost, Map<String, Object> json) {}

  /**
   * The overview, as {@code principal} sees it: message_stats, churn_rates, queue_totals and
   * object_totals (rabbit_mgmt_db:get_overview). False if it added nothing, and the controller
   * answers the totals it counts itself.
   */
  default boolean overview(Principal principal, Map<String, Object> json) {
    return false;
  }

  /** This node's entry of {@code /api/nodes}. */
  default void node(Map<String, Object> json) {}
}
