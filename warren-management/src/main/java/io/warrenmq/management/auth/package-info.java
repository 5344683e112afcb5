/**
 * Who may use the management API: HTTP basic authentication against the broker's users (guest
 * from loopback only, as on AMQP) and RabbitMQ's user tags deciding what each may read and change
 * (rabbit_web_dispatch_access_control): {@code management} (own vhosts), {@code policymaker}
 * (also policies and parameters), {@code monitoring} (everything read-only), {@code administrator}
 * (everything). May depend on warren-broker and the {@code http} package.
 */
@NullMarked
package io.warrenmq.management.auth;

import org.jspecify.annotations.NullMarked;
