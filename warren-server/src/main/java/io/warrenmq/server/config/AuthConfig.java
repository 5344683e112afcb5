package io.warrenmq.server.config;

import io.warrenmq.broker.auth.oauth2.OAuth2Settings;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Authentication: the backend chain ({@code auth_backends.N}, in order, each "internal" or
 * "oauth2") and the OAuth 2 backend's settings ({@code auth_oauth2.*}), present when the chain
 * names it.
 */
public record AuthConfig(List<String> backends, @Nullable OAuth2Settings oauth2) {
  public static final AuthConfig INTERNAL = new AuthConfig(List.of("internal"), null);

  public AuthConfig {
    backends = List.copyOf(backends);
  }
}
