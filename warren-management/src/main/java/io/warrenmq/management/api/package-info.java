/**
 * RabbitMQ's management HTTP API ({@code /api/...}): one controller per resource, as LavinMQ's
 * http/controller, each registering its paths with the {@link io.warrenmq.management.api.ApiRoutes}
 * and answering with RabbitMQ's JSON shapes and status codes. Controllers call the broker's own
 * operations (the same ones warrenctl and AMQP use) and never re-implement a rule. May depend on
 * warren-broker and the management {@code http} and {@code auth} packages.
 */
@NullMarked
package io.warrenmq.management.api;

import org.jspecify.annotations.NullMarked;
