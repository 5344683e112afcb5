package io.warrenmq.broker.auth.oauth2;

import io.warrenmq.broker.auth.CredentialAuthz;
import io.warrenmq.broker.auth.Permission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A verified token's permissions (rabbit_auth_backend_oauth2 check_vhost_access,
 * check_resource_access, check_topic_access): its scopes, prefix stripped, matched with {@link
 * Wildcard}; every check first checks that the token has not expired (with_decoded_token).
 * Topic scopes may use variables ({@code {vhost}}, or a claim such as {@code {sub}}), expanded
 * as RabbitMQ's get_expanded_scopes does.
 *
 * <p>Immutable.
 */
final class TokenAuthz implements CredentialAuthz {
  static final String MODULE = "rabbit_auth_backend_oauth2";

  private final List<String> scopes;
  private final List<ScopeGrant> grants;
  private final Map<String, Object> claims;
  private final long exp;
  private final Clock clock;

  /** @param exp the {@code exp} claim in epoch seconds, or {@link Long#MAX_VALUE} if none */
  TokenAuthz(List<String> scopes, Map<String, Object> claims, long exp, Clock clock) {
    this.scopes = List.copyOf(scopes);
    this.claims = Map.copyOf(claims);
    this.exp = exp;
    this.clock = clock;
    List<ScopeGrant> g = new ArrayList<>();
    for (String s : scopes) {
      ScopeGrant p = ScopeGrant.parse(s);
      if (p != null) {
        g.add(p);
      }
    }
    this.grants = List.copyOf(g);
  }

  /** The scopes, prefix stripped. */
  List<String> scopes() {
    return scopes;
  }

  @Override
  public String backend() {
    return MODULE;
  }

  @Override
  public @Nullable String invalidReason() {
    if (exp == Long.MAX_VALUE) {
      return null;
    }
    long now = clock.instant().getEpochSecond();
    return exp <= now
        ? "Provided JWT token has expired at timestamp " + exp + " (validated at " + now + ")"
        : null;
  }

  @Override
  public long expiresAt() {
    return exp;
  }

  @Override
  public boolean vhostAccess(String vhost) {
    for (ScopeGrant g : grants) {
      if (Wildcard.match(vhost, g.vhost())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean resourceAccess(String vhost, Permission.Access access, String name) {
    for (ScopeGrant g : grants) {
      if (g.access() == access && Wildcard.match(vhost, g.vhost()) && Wildcard.match(name, g.name())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean topicAccess(String vhost, Permission.Access access, String exchange, String routingKey) {
    for (String s : scopes) {
      ScopeGrant g = ScopeGrant.parse(s.indexOf('{') >= 0 ? expand(s, vhost) : s);
      if (g != null && g.routingKey() != null && g.access() == access && Wildcard.match(vhost, g.vhost())
          && Wildcard.match(exchange, g.name()) && Wildcard.match(routingKey, g.routingKey())) {
        return true;
      }
    }
    return false;
  }

  /** {@code {vhost}} and {@code {claim}} replaced; an unknown variable stays as its name. */
  private String expand(String scope, String vhost) {
    StringBuilder b = new StringBuilder(scope.length());
    int i = 0;
    while (i < scope.length()) {
      int open = scope.indexOf('{', i);
      int close = open < 0 ? -1 : scope.indexOf('}', open);
      if (close < 0) {
        b.append(scope, i, scope.length());
        break;
      }
      b.append(scope, i, open);
      String var = scope.substring(open + 1, close);
      Object v = var.equals("vhost") ? vhost : claims.get(var);
      b.append(v instanceof String str ? str : var);
      i = close + 1;
    }
    return b.toString();
  }
}
