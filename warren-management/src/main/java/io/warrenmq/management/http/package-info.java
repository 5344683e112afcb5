/**
 * The HTTP plumbing shared by the management API, the UI and the Prometheus endpoint: a listener
 * on the broker's event loops ({@link io.warrenmq.management.http.HttpListener}), the handler that
 * hands each request to a blocking executor and writes the answer back in order, a small router
 * with RabbitMQ-style path templates, and errors as RabbitMQ's JSON bodies. Knows nothing of the
 * broker.
 */
@NullMarked
package io.warrenmq.management.http;

import org.jspecify.annotations.NullMarked;
