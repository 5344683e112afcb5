package io.warrenmq.broker.auth;

import io.warrenmq.broker.limits.Limits;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A user: name, password hash ({@link PasswordHash}, base64; empty means password login is
 * refused) and the algorithm that made it, RabbitMQ-style tags such as {@code administrator}, and
 * the user's limits ({@code max-connections}, {@code max-channels}), as RabbitMQ's internal_user.
 * A user logged in by a credential-bearing backend (OAuth 2) carries that credential's {@link
 * CredentialAuthz}: its permissions come from there, never from the internal permission table.
 */
public record User(String name, String passwordHash, List<String> tags, PasswordHash.Algorithm hashing,
    Limits limits, @Nullable CredentialAuthz credential) {
  public User {
    tags = List.copyOf(tags);
  }

  /** An internal user (permissions from the permission table). */
  public User(String name, String passwordHash, List<String> tags, PasswordHash.Algorithm hashing, Limits limits) {
    this(name, passwordHash, tags, hashing, limits, null);
  }

  /** A user authorised by {@code credential} alone (no password, no internal permissions). */
  public static User ofCredential(String name, List<String> tags, CredentialAuthz credential) {
    return new User(name, "", tags, PasswordHash.Algorithm.SHA256, Limits.NONE, credential);
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
    return new User(name, passwordHash, t, hashing, limits, credential);
  }

  public User withPassword(String hash, PasswordHash.Algorithm algorithm) {
    return new User(name, hash, tags, algorithm, limits, credential);
  }

  public User withLimits(Limits l) {
    return new User(name, passwordHash, tags, hashing, l, credential);
  }
}
