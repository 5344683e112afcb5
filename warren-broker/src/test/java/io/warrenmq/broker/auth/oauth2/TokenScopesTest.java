package io.warrenmq.broker.auth.oauth2;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.broker.auth.Permission.Access;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenScopesTest {
  private static OAuth2Settings settings(String extraKey, Map<String, List<String>> aliases) {
    return new OAuth2Settings("rabbitmq", true, null, extraKey, List.of(), null, Map.<String, Path>of(), null,
        Duration.ZERO, aliases);
  }

  @Test
  void aSpaceSeparatedStringAndAListAreBothScopesAndOnlyPrefixedOnesCount() {
    OAuth2Settings s = settings(null, Map.of());
    assertThat(TokenScopes.of(Map.of("scope", "rabbitmq.read:*/* other.write:*/* rabbitmq.tag:monitoring"), s))
        .containsExactly("read:*/*", "tag:monitoring");
    assertThat(TokenScopes.of(Map.of("scope", List.of("rabbitmq.write:v/x", "openid")), s))
        .containsExactly("write:v/x");
    assertThat(TokenScopes.tags(List.of("tag:monitoring", "read:*/*", "tag:administrator", "tag:monitoring")))
        .containsExactly("administrator", "monitoring");
  }

  @Test
  void additionalScopesKeyAddsAListOrAMapKeyedByResourceServer() {
    OAuth2Settings s = settings("roles", Map.of());
    assertThat(TokenScopes.of(Map.of("roles", List.of("rabbitmq.configure:*/*"), "scope", "rabbitmq.read:*/*"), s))
        .containsExactly("configure:*/*", "read:*/*");
    assertThat(TokenScopes.of(Map.of("roles", Map.of("rabbitmq", "write:*/* read:*/*")), s))
        .containsExactly("write:*/*", "read:*/*");
  }

  @Test
  void anAliasAddsItsScopes() {
    OAuth2Settings s = settings(null, Map.of("admin", List.of("rabbitmq.tag:administrator", "rabbitmq.read:*/*")));
    assertThat(TokenScopes.of(Map.of("scope", "admin"), s)).containsExactly("tag:administrator", "read:*/*");
  }

  @Test
  void scopesBecomeResourceAndTopicAccess() {
    TokenAuthz a = new TokenAuthz(List.of("read:%2F/q-*", "write:%2F/amq.topic/{sub}.*", "configure:dev/*"),
        Map.of("sub", "alice"), Long.MAX_VALUE, Clock.systemUTC());
    assertThat(a.vhostAccess("/")).isTrue();
    assertThat(a.vhostAccess("dev")).isTrue();
    assertThat(a.vhostAccess("prod")).isFalse();
    assertThat(a.resourceAccess("/", Access.READ, "q-1")).isTrue();
    assertThat(a.resourceAccess("/", Access.CONFIGURE, "q-1")).isFalse();
    assertThat(a.resourceAccess("dev", Access.CONFIGURE, "anything")).isTrue();
    // a two-part scope grants no topic access; the three-part one with the claim expanded does
    assertThat(a.topicAccess("/", Access.READ, "q-1", "x")).isFalse();
    assertThat(a.topicAccess("/", Access.WRITE, "amq.topic", "alice.orders")).isTrue();
    assertThat(a.topicAccess("/", Access.WRITE, "amq.topic", "bob.orders")).isFalse();
  }

  @Test
  void anExpiredTokenSaysSoWithRabbitMqsText() {
    TokenAuthz a = new TokenAuthz(List.of("read:*/*"), Map.of(), 1000, Clock.systemUTC());
    assertThat(a.invalidReason()).startsWith("Provided JWT token has expired at timestamp 1000 (validated at ");
  }
}
