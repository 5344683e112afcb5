package io.warrenmq.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthConfigTest {
  @TempDir Path dir;

  private BrokerConfig load(String text) throws IOException {
    Path f = Files.writeString(dir.resolve("warren.conf"), text);
    return ConfigLoader.load(new String[] {"--config", f.toString()}, Map.of());
  }

  @Test
  void withoutAuthBackendsTheInternalBackendIsAlone() throws IOException {
    assertThat(load("port = 0\n").auth()).isEqualTo(AuthConfig.INTERNAL);
  }

  @Test
  void rabbitMqsModuleNamesAndShortNamesBuildTheChainInIndexOrder() throws IOException {
    Path key = Files.writeString(dir.resolve("k.json"),
        "{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC1zZWNyZXQ\"}");
    AuthConfig a = load("auth_backends.2 = rabbit_auth_backend_internal\nauth_backends.1 = oauth2\n"
        + "auth_oauth2.resource_server_id = rabbitmq\nauth_oauth2.signing_keys.hs = " + key + "\n"
        + "auth_oauth2.default_key = hs\nauth_oauth2.verify_aud = false\n").auth();
    assertThat(a.backends()).isEqualTo(List.of("oauth2", "internal"));
    assertThat(a.oauth2().verifyAud()).isFalse();
    assertThat(a.oauth2().defaultKey()).isEqualTo("hs");
    assertThat(a.oauth2().effectiveScopePrefix()).isEqualTo("rabbitmq.");
  }

  @Test
  void anUnknownBackendStopsTheStartNamingTheLine() {
    assertThatThrownBy(() -> load("port = 0\nauth_backends.1 = ldap\n"))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageContaining("warren.conf:2").hasMessageContaining("unknown auth backend 'ldap'");
  }

  @Test
  void anUnreadableSigningKeyStopsTheStartNamingTheLine() {
    assertThatThrownBy(() -> load("auth_backends.1 = oauth2\nauth_oauth2.resource_server_id = r\n"
        + "auth_oauth2.signing_keys.k1 = " + dir.resolve("missing.pem") + "\n"))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageContaining("warren.conf:3").hasMessageContaining("signing key 'k1': cannot read");
  }

  @Test
  void aBadBooleanOrUrlNamesTheLine() {
    assertThatThrownBy(() -> load("auth_backends.1 = oauth2\nauth_oauth2.resource_server_id = r\n"
        + "auth_oauth2.jwks_url = ftp://x/keys\n"))
        .hasMessageContaining("warren.conf:3").hasMessageContaining("http or https");
    assertThatThrownBy(() -> load("auth_backends.1 = oauth2\nauth_oauth2.resource_server_id = r\n"
        + "auth_oauth2.jwks_url = http://x/keys\nauth_oauth2.verify_aud = maybe\n"))
        .hasMessageContaining("warren.conf:4").hasMessageContaining("true or false");
  }

  @Test
  void oauth2WithoutAResourceServerIdOrKeysIsRefused() {
    assertThatThrownBy(() -> load("auth_backends.1 = oauth2\n")).hasMessageContaining("resource_server_id");
    assertThatThrownBy(() -> load("auth_backends.1 = oauth2\nauth_oauth2.resource_server_id = r\n"))
        .hasMessageContaining("neither auth_oauth2.signing_keys");
  }

  @Test
  void usernameClaimsKeepTheirNumericOrderAndIndexedAliasesAreRefused() throws IOException {
    Path key = Files.writeString(dir.resolve("k.json"),
        "{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC1zZWNyZXQ\"}");
    String base = "auth_backends.1 = oauth2\nauth_oauth2.resource_server_id = r\nauth_oauth2.signing_keys.k = " + key + "\n";
    AuthConfig a = load(base + "auth_oauth2.preferred_username_claims.10 = c10\n"
        + "auth_oauth2.preferred_username_claims.2 = c2\nauth_oauth2.preferred_username_claims.1 = c1\n"
        + "auth_oauth2.scope_aliases.admin = r.tag:administrator r.read:*/*\n").auth();
    assertThat(a.oauth2().preferredUsernameClaims()).containsExactly("c1", "c2", "c10");
    assertThat(a.oauth2().scopeAliases()).containsEntry("admin", List.of("r.tag:administrator", "r.read:*/*"));
    assertThatThrownBy(() -> load(base + "auth_oauth2.scope_aliases.1.alias = admin\n"))
        .hasMessageContaining("warren.conf:4").hasMessageContaining("indexed form");
  }

  @Test
  void anUnknownAuthOauth2KeyIsUnknown() {
    assertThatThrownBy(() -> load("auth_oauth2.resource_server = r\n")).hasMessageContaining("unknown configuration key");
  }
}
