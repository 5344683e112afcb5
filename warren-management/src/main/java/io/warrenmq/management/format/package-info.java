/**
 * The JSON forms of RabbitMQ's management API that are more than plain fields (rabbit_mgmt_format,
 * rabbit_misc): AMQP field tables and content properties to and from JSON, binding property keys
 * with their Erlang term hash, percent-encoding as rabbit_http_util does it. Pure functions; may
 * depend on warren-amqp's types and the management {@code http} package's errors.
 */
@NullMarked
package io.warrenmq.management.format;

import org.jspecify.annotations.NullMarked;
