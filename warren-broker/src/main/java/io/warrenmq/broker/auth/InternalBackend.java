package io.warrenmq.broker.auth;

import org.jspecify.annotations.Nullable;

/**
 * The internal users as one backend of the chain (rabbit_auth_backend_internal): the password
 * checked against the user's salted hash, loopback_users honoured.
 */
public final class InternalBackend implements AuthBackend {
  /** The name in {@code auth_backends.N}. */
  public static final String NAME = "internal";

  private final Users users;

  public InternalBackend(Users users) {
    this.users = users;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String module() {
    return "rabbit_auth_backend_internal";
  }

  @Override
  public @Nullable User authenticate(String username, String secret, boolean loopback) {
    return users.passwordLogin(username, secret, "password", loopback);
  }

  @Override
  public User refresh(User current, String secret) {
    return current; // no expiring credential: RabbitMQ accepts the new secret as it is
  }
}
