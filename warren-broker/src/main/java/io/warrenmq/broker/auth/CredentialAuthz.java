package io.warrenmq.broker.auth;

import org.jspecify.annotations.Nullable;

/**
 * What a credential (an OAuth 2 token) lets its user do, as a RabbitMQ authz backend decides it
 * (rabbit_authz_backend: check_vhost_access, check_resource_access, check_topic_access,
 * expiry_timestamp). A user carrying one is checked here instead of in the internal permission
 * table, as RabbitMQ checks a user only against the backend that logged it in.
 *
 * <p>Immutable and thread-safe: a live connection swaps the whole user on update-secret.
 */
public interface CredentialAuthz {
  /** RabbitMQ's module name, for refusal texts ("rabbit_auth_backend_oauth2"). */
  String backend();

  /**
   * Null while the credential is valid, else why not (RabbitMQ: "Provided JWT token has expired at
   * timestamp 1700000000 (validated at 1700000005)").
   */
  @Nullable String invalidReason();

  /** Epoch second the credential expires at, or {@link Long#MAX_VALUE} for never. */
  long expiresAt();

  /** Whether the credential grants anything at all on {@code vhost} (connection.open). */
  boolean vhostAccess(String vhost);

  /** configure / write / read on a queue or exchange named {@code name} of {@code vhost}. */
  boolean resourceAccess(String vhost, Permission.Access access, String name);

  /** write (publish) or read (bind) of {@code routingKey} on topic exchange {@code exchange}. */
  boolean topicAccess(String vhost, Permission.Access access, String exchange, String routingKey);
}
