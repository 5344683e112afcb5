package io.warrenmq.management.api;

import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Principal;
import java.util.Map;

/**
 * The seam where message statistics join the objects' JSON: {@code message_stats} with its counts
 * and {@code details.rate}, the {@code *_details} rates of counts and traffic, {@code rates_mode}
 * and the samples the UI charts. Each renderer calls its method once, after the object's own
 * fields, with the map it answers; an implementation adds its keys there (and nothing else).
 * {@link #NONE} adds nothing: the statistics are not collected yet.
 */
public interface ObjectStats {
  ObjectStats NONE = new ObjectStats() {};

  /** A queue; {@code detailed} for {@code /api/queues/detailed} and the queue's own page. */
  default void queue(Queue queue, Map<String, Object> json, boolean detailed) {}

  /** An exchange of {@code vhost}; {@code detailed} for the exchange's own page. */
  default void exchange(VirtualHost vhost, Exchange exchange, Map<String, Object> json, boolean detailed) {}

  /** A connection. */
  default void connection(ConnectionView connection, Map<String, Object> json) {}

  /** A channel; {@code detailed} for the channel's own page. */
  default void channel(ChannelView channel, Map<String, Object> json, boolean detailed) {}

  /** The overview, as {@code principal} sees it (message_stats, queue_totals rates, churn_rates, rates_mode). */
  default void overview(Principal principal, Map<String, Object> json) {}

  /** This node's entry of {@code /api/nodes}. */
  default void node(Map<String, Object> json) {}
}
