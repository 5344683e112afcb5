package io.warrenmq.broker.auth;

import org.jspecify.annotations.Nullable;

/**
 * One entry of the authentication chain ({@code auth_backends.N} in RabbitMQ's config): it logs a
 * user in from the name and secret a client presented, or declines so that the next backend may
 * try (rabbit_access_control, check_user_login: the first backend that authenticates wins).
 *
 * <p>Thread-safe: logins come from every connection's event loop and from the HTTP API.
 */
public interface AuthBackend {
  /** The name in {@code auth_backends.N}: "internal" or "oauth2". */
  String name();

  /** RabbitMQ's module name: "rabbit_auth_backend_internal", "rabbit_auth_backend_oauth2". */
  String module();

  /**
   * The user {@code secret} logs in, or null if this backend refuses it (the reason is logged,
   * never sent to the client, as RabbitMQ's).
   *
   * @param loopback the client connected to a loopback address (loopback_users)
   */
  @Nullable User authenticate(String username, String secret, boolean loopback);

  /**
   * connection.update-secret: the user the new secret makes of {@code current}, which this backend
   * logged in. Throws {@link SecretRefused} with the reason if it refuses.
   */
  User refresh(User current, String secret);

  /** A backend refused a new secret; the message is for the log only. */
  final class SecretRefused extends RuntimeException {
    public SecretRefused(String message) {
      super(message);
    }
  }
}
