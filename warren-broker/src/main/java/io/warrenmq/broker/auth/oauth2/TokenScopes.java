package io.warrenmq.broker.auth.oauth2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A token's scopes as rabbit_auth_backend_oauth2 computes them (post_process_payload, then
 * validate_payload): {@code scope} as a space-separated string or a list; the scopes of {@code
 * additional_scopes_key} (a string, a list, or a map keyed by resource server id whose values lack
 * the prefix) and of Keycloak's {@code authorization.permissions[].scopes} put first; scope aliases
 * adding their scopes; then only the scopes with the prefix are kept, prefix stripped.
 */
final class TokenScopes {
  private TokenScopes() {}

  static List<String> of(Map<String, Object> claims, OAuth2Settings s) {
    List<String> scopes = strings(claims.get("scope"));
    String extraKey = s.additionalScopesKey();
    if (extraKey != null && claims.containsKey(extraKey)) {
      List<String> extra = switch (claims.get(extraKey)) {
        case Map<?, ?> m -> strings(m.get(s.resourceServerId())).stream()
            .map(k -> s.resourceServerId() + "." + k).toList();
        case null -> List.of();
        case Object o -> strings(o);
      };
      scopes = concat(extra, scopes);
    }
    if (claims.get("authorization") instanceof Map<?, ?> authz && authz.get("permissions") instanceof List<?> perms) {
      List<String> keycloak = new ArrayList<>();
      for (Object p : perms) {
        if (p instanceof Map<?, ?> pm) {
          keycloak.addAll(strings(pm.get("scopes")));
        }
      }
      scopes = concat(keycloak, scopes);
    }
    if (!s.scopeAliases().isEmpty()) {
      scopes = aliased(scopes, s.scopeAliases()); // scope and the additional scopes, which joined it
    }
    String prefix = s.effectiveScopePrefix();
    if (prefix.isEmpty()) {
      return scopes;
    }
    List<String> out = new ArrayList<>();
    for (String scope : scopes) {
      if (scope.startsWith(prefix)) {
        out.add(scope.substring(prefix.length()));
      }
    }
    return out;
  }

  /** The tags of the {@code tag:} scopes, sorted and distinct (tags_from). */
  static List<String> tags(List<String> scopes) {
    Set<String> tags = new TreeSet<>();
    for (String scope : scopes) {
      if (scope.startsWith("tag:")) {
        tags.add(scope.substring(4));
      }
    }
    return List.copyOf(tags);
  }

  /** The scopes, plus the scopes of every alias among them (originals kept). */
  private static List<String> aliased(List<String> scopes, Map<String, List<String>> aliases) {
    Set<String> out = new LinkedHashSet<>(scopes);
    for (String s : scopes) {
      List<String> mapped = aliases.get(s);
      if (mapped != null) {
        out.addAll(mapped);
      }
    }
    return List.copyOf(out);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** A claim as a list of strings: a space-separated string split, a list's strings. */
  static List<String> strings(Object v) {
    return switch (v) {
      case String s -> Arrays.stream(s.split(" ")).filter(x -> !x.isEmpty()).toList();
      case List<?> l -> l.stream().filter(String.class::isInstance).map(String.class::cast).toList();
      case null -> List.of();
      default -> List.of();
    };
  }
}
