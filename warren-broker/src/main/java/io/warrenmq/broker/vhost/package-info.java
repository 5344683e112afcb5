/**
 * A virtual host: the registry of its exchanges and queues, declare/delete/bind operations with RabbitMQ's checks and reply texts, and routing of a published message to its queues (exchange-to-exchange bindings included). {@code VirtualHost} is the public face; behind it {@code ExchangeRegistry} and {@code ExchangeFactory} keep and make the exchanges, {@code QueueRegistry} and {@code QueueFactory} the queues, {@code Bindings} and {@code BindingIndex} the bindings, and {@code Router} routes. Mutations are serialised by the vhost's one lock, shared by all of them; publishing reads without it. Depends on {@code broker.exchange}, {@code broker.queue}, {@code broker.policy}, {@code broker.definitions}, {@code broker.message}, warren-store's options and warren-amqp's types, content properties and errors.
 */
@NullMarked
package io.warrenmq.broker.vhost;

import org.jspecify.annotations.NullMarked;
