/**
 * WarrenMQ's management plane: RabbitMQ's management HTTP API ({@code api}), the Prometheus
 * endpoint and the web UI, served by Netty's HTTP codec on the broker's own event loops
 * ({@code http}). It reads and changes the broker only through the broker's public operations and
 * views (warren-broker), never through AMQP frames. May depend on warren-broker, Netty's HTTP codec
 * and Jackson; warren-server wires it in.
 */
@NullMarked
package io.warrenmq.management;

import org.jspecify.annotations.NullMarked;
