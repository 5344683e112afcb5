/**
 * A virtual host: the registry of its exchanges and queues, declare/delete/bind operations with RabbitMQ's checks and reply texts, and routing of a published message to its queues (exchange-to-exchange bindings included). Mutations are serialised by the vhost's lock; publishing reads without it.
 */
@NullMarked
package io.warrenmq.broker.vhost;

import org.jspecify.annotations.NullMarked;
