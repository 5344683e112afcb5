package io.warrenmq.broker.auth;

import java.util.List;

/**
 * A user: name, password hash ({@link PasswordHash}; empty means password login is refused) and
 * RabbitMQ-style tags such as {@code administrator}.
 */
public record User(String name, String passwordHash, List<String> tags) {
  public User {
    tags = List.copyOf(tags);
  }

  public boolean checkPassword(String password) {
    return !passwordHash.isEmpty() && PasswordHash.verify(passwordHash, password);
  }

  public boolean isAdministrator() {
    return tags.contains("administrator");
  }

  /** Tagged {@code impersonator}: may publish with any user-id property (RabbitMQ's tag). */
  public boolean isImpersonator() {
    return tags.contains("impersonator");
  }
}
