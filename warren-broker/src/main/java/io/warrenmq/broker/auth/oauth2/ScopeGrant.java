package io.warrenmq.broker.auth.oauth2;

import io.warrenmq.broker.auth.Permission;
import org.jspecify.annotations.Nullable;

/**
 * One permission scope, its resource server prefix already stripped (rabbit_oauth2_scope,
 * parse_permission_pattern): {@code configure:<vhost>/<name>}, {@code write:...}, {@code read:...},
 * with an optional third part {@code /<routing key>} for topic exchanges; each part a {@link
 * Wildcard} pattern.
 *
 * @param routingKey null for the two-part form, which grants no topic access
 */
record ScopeGrant(Permission.Access access, String vhost, String name, @Nullable String routingKey) {
  /** The grant a scope names, or null if it names none (tags, other scopes, a malformed path). */
  static @Nullable ScopeGrant parse(String scope) {
    Permission.Access access;
    String rest;
    if (scope.startsWith("read:")) {
      access = Permission.Access.READ;
      rest = scope.substring(5);
    } else if (scope.startsWith("write:")) {
      access = Permission.Access.WRITE;
      rest = scope.substring(6);
    } else if (scope.startsWith("configure:")) {
      access = Permission.Access.CONFIGURE;
      rest = scope.substring(10);
    } else {
      return null;
    }
    String[] p = rest.split("/", -1);
    return switch (p.length) {
      case 2 -> new ScopeGrant(access, p[0], p[1], null);
      case 3 -> new ScopeGrant(access, p[0], p[1], p[2]);
      default -> null;
    };
  }
}
