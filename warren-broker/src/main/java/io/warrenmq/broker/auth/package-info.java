/**
 * Users, salted password hashes (RabbitMQ's {@code rabbit_password_hashing_sha256} format), per-vhost configure/write/read permission regexes, per-exchange topic permissions (write/read regexes over routing keys) and the checks that refuse with 403 ACCESS_REFUSED. The auth backend chain ({@link io.warrenmq.broker.auth.AuthBackend}, RabbitMQ's auth_backends) and the checks of users that carry a credential ({@link io.warrenmq.broker.auth.CredentialAuthz}, OAuth 2 tokens) instead of table permissions. SASL parsing stays in the server. Depends on {@code broker.message} at most.
 */
@NullMarked
package io.warrenmq.broker.auth;

import org.jspecify.annotations.NullMarked;
