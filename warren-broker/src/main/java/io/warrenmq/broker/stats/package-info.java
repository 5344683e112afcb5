/**
 * Message statistics as RabbitMQ's management plugin and Prometheus plugin count them
 * (rabbit_core_metrics, rabbit_mgmt_metrics_collector): {@link io.warrenmq.broker.stats.MessageCounts}
 * per channel and per queue (plain fields, written by their one owner), {@link
 * io.warrenmq.broker.stats.ExchangeCounts} per exchange (adders, many publishers), {@link
 * io.warrenmq.broker.stats.VhostStats} (live channels and connections plus what closed ones left,
 * so totals never go back) and {@link io.warrenmq.broker.stats.BrokerStats} (churn). Only counts
 * live here: rates and histories are computed by whoever reads them, from {@link
 * io.warrenmq.broker.stats.RateSample}s a sampler fills. Nothing here allocates per message. May
 * depend on {@code broker.view} and the JDK only.
 */
@NullMarked
package io.warrenmq.broker.stats;

import org.jspecify.annotations.NullMarked;
