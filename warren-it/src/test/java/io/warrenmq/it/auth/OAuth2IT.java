package io.warrenmq.it.auth;

import static io.warrenmq.it.auth.TokenIssuer.claims;
import static io.warrenmq.it.auth.TokenIssuer.token;
import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OAuth 2 backend chained after the internal one, as rabbitmq.conf sets it up: tokens signed
 * by keys made here, one key as a PEM file (signing_keys), the others served by a local JWKS
 * endpoint; logins, scopes as permissions, update-secret, expiry, the HTTP API.
 */
class OAuth2IT {
  private static final RSAKey STATIC_KEY = TokenIssuer.rsa("static1");
  private static final ECKey JWKS_KEY = TokenIssuer.ec("jwks1");
  private static final OctetSequenceKey HMAC_KEY = TokenIssuer.hmac("hs1");
  private static final TokenIssuer ISSUER;
  private static final Path CONFIG;
  private static final String ALL = "rabbitmq.configure:*/* rabbitmq.write:*/* rabbitmq.read:*/*";

  static {
    try {
      ISSUER = new TokenIssuer();
      ISSUER.publish(JWKS_KEY);
      Path dir = Files.createTempDirectory("warren-oauth2-");
      Path pem = Files.writeString(dir.resolve("static1.pem"), TokenIssuer.pem(STATIC_KEY));
      Path jwk = Files.writeString(dir.resolve("hs1.json"), HMAC_KEY.toJSONString()); // symmetric: a JWK file
      CONFIG = Files.writeString(dir.resolve("warren.conf"), String.join("\n",
          "auth_backends.1 = internal",
          "auth_backends.2 = rabbit_auth_backend_oauth2",
          "auth_oauth2.resource_server_id = rabbitmq",
          "auth_oauth2.signing_keys.static1 = " + pem,
          "auth_oauth2.signing_keys.hs1 = " + jwk,
          "auth_oauth2.jwks_url = " + ISSUER.jwksUrl(),
          "auth_oauth2.jwks_min_refresh_interval = 1000",
          "auth_oauth2.preferred_username_claims.1 = user_name",
          "auth_oauth2.scope_aliases.ops = rabbitmq.tag:monitoring rabbitmq.read:*/*",
          ""));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @RegisterExtension
  static final BrokerExtension broker = BrokerExtension.withManagement(Map.of("config", CONFIG.toString()));

  @AfterAll
  static void stopIssuer() {
    ISSUER.close();
  }

  private Connection connect(String token) throws Exception {
    ConnectionFactory f = broker.factory();
    f.setUsername("ignored");
    f.setPassword(token);
    return f.newConnection();
  }

  @Test
  void aValidTokenLogsInAndItsScopesAllowDeclaringPublishingAndConsuming() throws Exception {
    String t = token(STATIC_KEY, claims("svc-a", "rabbitmq", 3600, ALL));
    try (Connection c = connect(t)) {
      Channel ch = c.createChannel();
      String q = ch.queueDeclare("oauth-all", false, false, true, null).getQueue();
      ch.basicPublish("", q, null, "hi".getBytes());
      eventually("message arrives", () -> get(ch, q) != null);
    }
  }

  @Test
  void anHs256TokenVerifiesWithASymmetricSigningKey() throws Exception {
    try (Connection c = connect(token(HMAC_KEY, claims("svc-hs", "rabbitmq", 3600, ALL)))) {
      c.createChannel().queueDeclare("", false, true, true, null);
    }
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    String t = token(STATIC_KEY, claims("svc-a", "someone-else", 3600, ALL));
    assertThatThrownBy(() -> connect(t)).isInstanceOf(AuthenticationFailureException.class)
        .hasMessageContaining("ACCESS_REFUSED");
  }

  @Test
  void anExpiredTokenIsRefused() {
    String t = token(STATIC_KEY, claims("svc-a", "rabbitmq", -60, ALL));
    assertThatThrownBy(() -> connect(t)).isInstanceOf(AuthenticationFailureException.class)
        .hasMessageContaining("ACCESS_REFUSED");
  }

  @Test
  void aTokenSignedByAnUnknownKeyIsRefused() {
    String t = token(TokenIssuer.rsa("static1"), claims("svc-a", "rabbitmq", 3600, ALL)); // same kid, other key
    assertThatThrownBy(() -> connect(t)).isInstanceOf(AuthenticationFailureException.class);
  }

  @Test
  void aReadOnlyScopeRefusesDeclaringButConsumes() throws Exception {
    try (Connection guest = broker.factory().newConnection()) {
      Channel g = guest.createChannel();
      g.queueDeclare("ro-queue", false, false, false, null);
      g.basicPublish("", "ro-queue", null, "m".getBytes());
    }
    String t = token(JWKS_KEY, claims("reader", "rabbitmq", 3600, "rabbitmq.read:%2F/ro-*"));
    try (Connection c = connect(t)) {
      Channel ch = c.createChannel();
      CompletableFuture<String> got = new CompletableFuture<>();
      ch.basicConsume("ro-queue", true, (tag, d) -> got.complete(new String(d.getBody())), tag -> {});
      assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("m");
      assertThatThrownBy(() -> ch.queueDeclare("ro-other", false, false, false, null))
          .isInstanceOf(IOException.class).cause().isInstanceOf(ShutdownSignalException.class)
          .hasMessageContaining("ACCESS_REFUSED - configure access to queue 'ro-other' in vhost '/' refused for user 'reader'");
    }
  }

  @Test
  void onATopicExchangeTheRoutingKeyNeedsAThreePartScope() throws Exception {
    String t = token(STATIC_KEY, claims("svc-t", "rabbitmq", 3600,
        "rabbitmq.write:%2F/amq.topic/orders.* rabbitmq.write:%2F/amq.direct"));
    try (Connection c = connect(t)) {
      Channel ch = c.createChannel();
      ch.confirmSelect();
      ch.basicPublish("amq.topic", "orders.new", null, "ok".getBytes());
      ch.waitForConfirmsOrDie(5000);
      ch.basicPublish("amq.direct", "any", null, "ok".getBytes()); // not a topic exchange
      ch.waitForConfirmsOrDie(5000);
      ch.basicPublish("amq.topic", "payments.new", null, "no".getBytes());
      eventually("the channel is closed", () -> !ch.isOpen());
      assertThat(ch.getCloseReason().getMessage()).contains(
          "ACCESS_REFUSED - write access to topic 'payments.new' in exchange 'amq.topic' in vhost '/' refused for user 'svc-t'");
    }
  }

  @Test
  void updateSecretAppliesTheNewScopesAndExpiry() throws Exception {
    String readOnly = token(STATIC_KEY, claims("svc-u", "rabbitmq", 3, "rabbitmq.read:*/*"));
    try (Connection c = connect(readOnly)) {
      Channel ch = c.createChannel();
      assertThatThrownBy(() -> ch.queueDeclare("upd-q", false, false, true, null))
          .cause().hasMessageContaining("ACCESS_REFUSED");
      updateSecret(c, token(STATIC_KEY, claims("svc-u", "rabbitmq", 3600, ALL)), "refresh");
      Channel ch2 = c.createChannel();
      ch2.queueDeclare("upd-q", false, false, true, null);
      // the first token's expiry passes: the connection stays, since the new token's applies
      waitUntil(Instant.now().plusSeconds(4));
      assertThat(c.isOpen()).isTrue();
      ch2.queueDeclarePassive("upd-q");
    }
  }

  @Test
  void updateSecretWithAnotherUsersTokenClosesTheConnection() throws Exception {
    Connection c = connect(token(STATIC_KEY, claims("svc-x", "rabbitmq", 3600, ALL)));
    String other = token(STATIC_KEY, claims("svc-y", "rabbitmq", 3600, ALL));
    assertThatThrownBy(() -> updateSecret(c, other, "swap")).satisfies(e -> assertThat(closeReason(c))
        .contains("NOT_ALLOWED - New secret was refused by one of the backends"));
  }

  @Test
  void aConnectionClosesWhenItsTokenExpires() throws Exception {
    Connection c = connect(token(JWKS_KEY, claims("svc-e", "rabbitmq", 2, ALL)));
    eventually(Duration.ofSeconds(10), "closed at expiry", () -> !c.isOpen());
    assertThat(closeReason(c)).contains("CONNECTION_FORCED - credential expired");
  }

  @Test
  void anUnknownKidFetchesTheJwksAgainAtMostOncePerInterval() throws Exception {
    ECKey rotated = TokenIssuer.ec("rotated1");
    String t = token(rotated, claims("svc-r", "rabbitmq", 3600, ALL));
    assertThatThrownBy(() -> connect(t)).isInstanceOf(AuthenticationFailureException.class);
    int after = ISSUER.jwksRequests();
    assertThatThrownBy(() -> connect(t)).isInstanceOf(AuthenticationFailureException.class);
    assertThat(ISSUER.jwksRequests()).as("a second unknown kid at once is not fetched").isEqualTo(after);
    ISSUER.publish(rotated); // the provider rotates its keys
    eventually(Duration.ofSeconds(10), "the rotated key is fetched", () -> {
      try (Connection c = connect(t)) {
        return c.isOpen();
      } catch (Exception e) {
        return false;
      }
    });
    assertThat(ISSUER.jwksRequests()).isGreaterThan(after);
  }

  @Test
  void theHttpApiTakesABearerTokenAndItsTagScopes() {
    String admin = token(STATIC_KEY, claims("svc-admin", "rabbitmq", 3600, "rabbitmq.tag:administrator " + ALL));
    ManagementHttp http = ManagementHttp.as(broker, null, null);
    Reply r = http.send("GET", "/api/whoami", null, "authorization", "Bearer " + admin);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).containsEntry("name", "svc-admin").containsEntry("tags", List.of("administrator"));
    assertThat(http.send("GET", "/api/users", null, "authorization", "Bearer " + admin).status()).isEqualTo(200);
    // an alias: "ops" stands for monitoring and read
    String ops = token(STATIC_KEY, claims("svc-ops", "rabbitmq", 3600, "ops"));
    assertThat(ManagementHttp.as(broker, "anyone", ops).get("/api/overview").status()).isEqualTo(200);
    assertThat(ManagementHttp.as(broker, "anyone", ops).get("/api/users").status()).isEqualTo(401);
    String noTags = token(STATIC_KEY, claims("svc-none", "rabbitmq", 3600, ALL));
    assertThat(http.send("GET", "/api/whoami", null, "authorization", "Bearer " + noTags).status()).isEqualTo(401);
    String expired = token(STATIC_KEY, claims("svc-admin", "rabbitmq", -5, "rabbitmq.tag:administrator"));
    assertThat(http.send("GET", "/api/whoami", null, "authorization", "Bearer " + expired).status()).isEqualTo(401);
  }

  @Test
  void thePreferredUsernameClaimNamesTheUser() {
    Map<String, Object> cl = new HashMap<>(claims("sub-id", "rabbitmq", 3600, "rabbitmq.tag:management " + ALL));
    cl.put("user_name", "alice");
    Reply r = ManagementHttp.as(broker, "x", token(STATIC_KEY, cl)).get("/api/whoami");
    assertThat(r.json()).containsEntry("name", "alice");
  }

  @Test
  void anInternalUserStillLogsInThroughTheChain() throws Exception {
    try (Connection c = broker.factory().newConnection()) {
      assertThat(c.isOpen()).isTrue();
    }
    ConnectionFactory f = broker.factory();
    f.setPassword("wrong");
    assertThatThrownBy(f::newConnection).isInstanceOf(AuthenticationFailureException.class);
  }

  /**
   * connection.update-secret through the client's own channel 0 (amqp-client 5.27 sends it only
   * from its OAuth 2 refresh service).
   */
  private static void updateSecret(Connection c, String secret, String reason) throws Exception {
    java.lang.reflect.Field f = com.rabbitmq.client.impl.AMQConnection.class.getDeclaredField("_channel0");
    f.setAccessible(true);
    com.rabbitmq.client.impl.AMQChannel ch0 = (com.rabbitmq.client.impl.AMQChannel) f.get(c);
    ch0.exnWrappingRpc(new com.rabbitmq.client.impl.AMQImpl.Connection.UpdateSecret(
        com.rabbitmq.client.impl.LongStringHelper.asLongString(secret), reason));
  }

  private static String closeReason(Connection c) {
    ShutdownSignalException s = c.getCloseReason();
    return s == null ? "" : s.getMessage();
  }

  private static com.rabbitmq.client.GetResponse get(Channel ch, String q) {
    try {
      return ch.basicGet(q, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the wall clock (token expiry is in whole seconds); bounded by {@code until}. */
  private static void waitUntil(Instant until) throws InterruptedException {
    while (Instant.now().isBefore(until)) {
      Thread.sleep(100);
    }
  }
}
