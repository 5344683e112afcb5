/**
 * Users, salted password hashes (RabbitMQ's {@code rabbit_password_hashing_sha256} format), per-vhost configure/write/read permission regexes, per-exchange topic permissions (write/read regexes over routing keys) and the checks that refuse with 403 ACCESS_REFUSED. SASL parsing stays in the server. Depends on {@code broker.message} at most.
 */
@NullMarked
package io.warrenmq.broker.auth;

import org.jspecify.annotations.NullMarked;
