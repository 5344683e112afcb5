/**
 * The OAuth 2 auth backend, RabbitMQ's rabbitmq_auth_backend_oauth2 (3.13.7): a JWT given as the
 * password is verified (nimbus-jose-jwt) against configured signing keys or a JWKS endpoint, its
 * audience, expiry and not-before are checked, and its scopes become the user's permissions and
 * tags. Depends on {@code broker.auth} and the JDK's HTTP client.
 */
@NullMarked
package io.warrenmq.broker.auth.oauth2;

import org.jspecify.annotations.NullMarked;
