package io.warrenmq.broker.auth.oauth2;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code auth_oauth2.*} settings, as RabbitMQ's rabbitmq.conf names them.
 *
 * @param resourceServerId {@code resource_server_id}: the audience tokens must name and the
 *     default scope prefix
 * @param verifyAud {@code verify_aud}: whether {@code aud} must contain the resource server id
 * @param scopePrefix {@code scope_prefix}; null means {@code resource_server_id + "."}
 * @param additionalScopesKey {@code additional_scopes_key}: a claim whose scopes join {@code scope}
 * @param preferredUsernameClaims {@code preferred_username_claims.N}, in order; {@code sub} and
 *     {@code client_id} are tried after them, as RabbitMQ does
 * @param defaultKey {@code default_key}: the key of tokens without a {@code kid}
 * @param signingKeys {@code signing_keys.<kid>}: PEM public keys or certificates, or JWK files
 * @param jwksUrl {@code jwks_url}: where to fetch more keys, or null
 * @param jwksMinRefresh WarrenMQ's {@code jwks_min_refresh_interval}: the least time between two
 *     fetches of the JWKS (an unknown kid fetches again, at most this often)
 * @param scopeAliases {@code scope_aliases.<alias>}: an alias found in the scopes adds these
 */
public record OAuth2Settings(
    String resourceServerId,
    boolean verifyAud,
    @Nullable String scopePrefix,
    @Nullable String additionalScopesKey,
    List<String> preferredUsernameClaims,
    @Nullable String defaultKey,
    Map<String, Path> signingKeys,
    @Nullable URI jwksUrl,
    Duration jwksMinRefresh,
    Map<String, List<String>> scopeAliases) {
  public OAuth2Settings {
    preferredUsernameClaims = List.copyOf(preferredUsernameClaims);
    signingKeys = Map.copyOf(signingKeys);
    scopeAliases = Map.copyOf(scopeAliases);
  }

  /** The prefix a scope must carry to count, stripped before use. */
  public String effectiveScopePrefix() {
    return scopePrefix != null ? scopePrefix : resourceServerId + ".";
  }
}
