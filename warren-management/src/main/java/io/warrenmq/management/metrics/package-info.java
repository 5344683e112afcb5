/**
 * The Prometheus endpoint on its own listener, as rabbitmq_prometheus 3.13.7 serves it:
 * {@code /metrics} (aggregated), {@code /metrics/per-object} and {@code /metrics/detailed?family=
 * &vhost=} with RabbitMQ's family names, types, labels and help texts ({@link
 * io.warrenmq.management.metrics.CoreMetrics}, {@link io.warrenmq.management.metrics.GlobalMetrics}),
 * plus WarrenMQ's own {@code warren_*} families ({@link
 * io.warrenmq.management.metrics.WarrenMetrics}). The Prometheus Java client's model and text
 * writers do the exposition formats (0.0.4 text, OpenMetrics on request); answers are written
 * family by family ({@link io.warrenmq.management.metrics.MetricsEndpoint}), never built whole.
 * May depend on warren-broker, the {@code http} and {@code stats} packages and the Prometheus
 * client.
 */
@NullMarked
package io.warrenmq.management.metrics;

import org.jspecify.annotations.NullMarked;
