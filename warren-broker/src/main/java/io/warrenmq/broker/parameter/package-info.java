/**
 * Runtime parameters as RabbitMQ's rabbit_runtime_parameters keeps them: per-vhost parameters of a
 * component ({@code vhost-limits}; operator policies are shown as the {@code operator_policy}
 * component) and global parameters ({@code cluster_name}, ...), with their JSON values. The
 * registry here is in memory; the broker validates, persists and applies changes. Depends on
 * warren-amqp's field types.
 */
@NullMarked
package io.warrenmq.broker.parameter;

import org.jspecify.annotations.NullMarked;
