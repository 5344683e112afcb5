package io.warrenmq.broker.auth;

import io.warrenmq.broker.limits.Limits;
import java.util.List;

/**
 * A user: name, password hash ({@link PasswordHash}, base64; empty means password login is
 * refused) and the algorithm that made it, RabbitMQ-style tags such as {@code administrator}, and
 * the user's limits ({@code max-connections}, {@code max-channels}), as RabbitMQ's internal_user.
 */
public record User(String name, String passwordHash, List<String> tags, PasswordHash.Algorithm hashing,
    Limits limits) {
  public User {
    tags = List.copyOf(tags);
  }

  /** A user with a SHA-256 hash and no limits. */
  public User(String name, String passwordHash, List<String> tags) {
    this(name, passwordHash, tags, PasswordHash.Algorithm.SHA256, Limits.NONE);
  }

  public boolean checkPassword(String password) {
    // rabbit_auth_backend_internal refuses a blank password whatever the hash
    return !passwordHash.isEmpty() && !password.isEmpty() && PasswordHash.verify(hashing, passwordHash, password);
  }

  public boolean isAdministrator() {
    return tags.contains("administrator");
  }

  /** Tagged {@code impersonator}: may publish with any user-id property (RabbitMQ's tag). */
  public boolean isImpersonator() {
    return tags.contains("impersonator");
  }

  public User withTags(List<String> t) {
    return new User(name, passwordHash, t, hashing, limits);
  }

  public User withPassword(String hash, PasswordHash.Algorithm algorithm) {
    return new User(name, hash, tags, algorithm, limits);
  }

  public User withLimits(Limits l) {
    return new User(name, passwordHash, tags, hashing, l);
  }
}
