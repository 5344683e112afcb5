package io.warrenmq.server.config;

import io.warrenmq.broker.auth.oauth2.OAuth2Backend;
import io.warrenmq.broker.auth.oauth2.OAuth2Settings;
import io.warrenmq.server.config.ConfigLoader.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the {@code auth_backends.N} and {@code auth_oauth2.*} keys of a config file (RabbitMQ's
 * names, see docs/oauth2.md). These keys are indexed or named ({@code auth_backends.1},
 * {@code auth_oauth2.signing_keys.<kid>}), so they are read from the config file only, not from
 * flags or the environment. A bad value is an error naming its line.
 */
final class AuthConfigParser {
  static final String BACKENDS = "auth_backends.";
  static final String OAUTH2 = "auth_oauth2.";

  private static final List<String> SIMPLE = List.of("resource_server_id", "verify_aud", "scope_prefix",
      "additional_scopes_key", "default_key", "jwks_url", "jwks_min_refresh_interval");
  private static final List<String> NAMED = List.of("signing_keys", "preferred_username_claims", "scope_aliases");

  private AuthConfigParser() {}

  /** Whether {@code key} is one of the keys read here (so the loader does not call it unknown). */
  static boolean accepts(String key) {
    if (key.startsWith(BACKENDS)) {
      return key.length() > BACKENDS.length();
    }
    if (!key.startsWith(OAUTH2)) {
      return false;
    }
    String rest = key.substring(OAUTH2.length());
    int dot = rest.indexOf('.');
    return dot < 0 ? SIMPLE.contains(rest) : NAMED.contains(rest.substring(0, dot)) && dot < rest.length() - 1;
  }

  /**
   * @param values every key of the file
   * @param where key -> "file:line", for the error messages
   */
  static AuthConfig parse(Map<String, String> values, Map<String, String> where) {
    TreeMap<Integer, String> chain = new TreeMap<>();
    for (var e : values.entrySet()) {
      if (e.getKey().startsWith(BACKENDS)) {
        String index = e.getKey().substring(BACKENDS.length());
        int n;
        try {
          n = Integer.parseInt(index);
        } catch (NumberFormatException x) {
          throw error(where, e.getKey(), "the index of '" + e.getKey() + "' must be a number");
        }
        chain.put(n, backend(where, e.getKey(), e.getValue()));
      }
    }
    List<String> backends = chain.isEmpty() ? List.of("internal") : List.copyOf(chain.values());
    if (backends.stream().distinct().count() != backends.size()) {
      throw new ConfigException("auth_backends names a backend twice: " + backends);
    }
    boolean anyOauth = values.keySet().stream().anyMatch(k -> k.startsWith(OAUTH2));
    if (!backends.contains("oauth2")) {
      if (anyOauth) {
        String first = values.keySet().stream().filter(k -> k.startsWith(OAUTH2)).findFirst().orElseThrow();
        throw error(where, first, "auth_oauth2 settings are given but no auth_backends.N = oauth2 uses them");
      }
      return new AuthConfig(backends, null);
    }
    return new AuthConfig(backends, oauth2(values, where));
  }

  private static String backend(Map<String, String> where, String key, String v) {
    return switch (v.strip()) {
      case "internal", "rabbit_auth_backend_internal" -> "internal";
      case "oauth2", "rabbit_auth_backend_oauth2" -> "oauth2";
      default -> throw error(where, key, "unknown auth backend '" + v.strip()
          + "' (WarrenMQ has internal / rabbit_auth_backend_internal and oauth2 / rabbit_auth_backend_oauth2)");
    };
  }

  private static OAuth2Settings oauth2(Map<String, String> values, Map<String, String> where) {
    String id = values.getOrDefault(OAUTH2 + "resource_server_id", "").strip();
    if (id.isEmpty()) {
      throw new ConfigException("auth_backends uses oauth2, so auth_oauth2.resource_server_id must be set");
    }
    Map<String, Path> keys = new LinkedHashMap<>();
    // RabbitMQ orders them by their suffix; numbers numerically (1, 2, 10)
    TreeMap<String, String> usernameClaims = new TreeMap<>(java.util.Comparator
        .comparing((String k) -> k.length()).thenComparing(k -> k));
    Map<String, List<String>> aliases = new LinkedHashMap<>();
    for (var e : values.entrySet()) {
      String k = e.getKey();
      String v = e.getValue().strip();
      if (k.startsWith(OAUTH2 + "signing_keys.")) {
        String kid = k.substring((OAUTH2 + "signing_keys.").length());
        Path p = Path.of(v);
        try {
          OAuth2Backend.checkKeyFile(kid, p);
        } catch (IllegalArgumentException x) {
          throw error(where, k, x.getMessage());
        }
        keys.put(kid, p);
      } else if (k.startsWith(OAUTH2 + "preferred_username_claims.")) {
        usernameClaims.put(k, v);
      } else if (k.startsWith(OAUTH2 + "scope_aliases.")) {
        String alias = k.substring((OAUTH2 + "scope_aliases.").length());
        if (alias.contains(".")) {
          throw error(where, k, "the indexed form scope_aliases.N.alias / .scope is not read; write "
              + "auth_oauth2.scope_aliases.<alias> = <scopes separated by spaces>");
        }
        aliases.put(alias,
            Arrays.stream(v.split(" ")).filter(s -> !s.isEmpty()).toList());
      }
    }
    URI jwks = null;
    String jwksText = values.get(OAUTH2 + "jwks_url");
    if (jwksText != null && !jwksText.isBlank()) {
      try {
        jwks = new URI(jwksText.strip());
      } catch (URISyntaxException x) {
        throw error(where, OAUTH2 + "jwks_url", "not a URL: " + x.getMessage());
      }
      if (!"https".equals(jwks.getScheme()) && !"http".equals(jwks.getScheme())) {
        throw error(where, OAUTH2 + "jwks_url", "must be an http or https URL, got '" + jwksText.strip() + "'");
      }
    }
    String defaultKey = blankToNull(values.get(OAUTH2 + "default_key"));
    if (keys.isEmpty() && jwks == null) {
      throw new ConfigException("auth_backends uses oauth2, but neither auth_oauth2.signing_keys.<kid> nor "
          + "auth_oauth2.jwks_url is set: no token could be verified");
    }
    return new OAuth2Settings(id, bool(values, where, OAUTH2 + "verify_aud", true),
        values.containsKey(OAUTH2 + "scope_prefix") ? values.get(OAUTH2 + "scope_prefix").strip() : null,
        blankToNull(values.get(OAUTH2 + "additional_scopes_key")),
        new ArrayList<>(usernameClaims.values()), defaultKey, keys, jwks,
        Duration.ofMillis(millis(values, where, OAUTH2 + "jwks_min_refresh_interval", 10_000)), aliases);
  }

  private static boolean bool(Map<String, String> values, Map<String, String> where, String key, boolean dflt) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw error(where, key, "'" + key + "' must be true or false, got '" + v.strip() + "'");
    };
  }

  private static long millis(Map<String, String> values, Map<String, String> where, String key, long dflt) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException x) {
      // reported below
    }
    throw error(where, key, "'" + key + "' must be a number of milliseconds (0 or more), got '" + v.strip() + "'");
  }

  private static @org.jspecify.annotations.Nullable String blankToNull(@org.jspecify.annotations.Nullable String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static ConfigException error(Map<String, String> where, String key, String reason) {
    return new ConfigException(where.getOrDefault(key, "configuration key '" + key + "'") + ": " + reason);
  }
}
