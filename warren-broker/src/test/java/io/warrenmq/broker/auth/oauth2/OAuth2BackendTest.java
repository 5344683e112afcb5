package io.warrenmq.broker.auth.oauth2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.warrenmq.broker.auth.AuthBackend;
import io.warrenmq.broker.auth.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HS256 with a JWK file, default_key, nbf, aud, the username claims, refresh. */
class OAuth2BackendTest {
  @TempDir Path dir;

  private final OctetSequenceKey key;

  OAuth2BackendTest() throws Exception {
    key = new OctetSequenceKeyGenerator(256).keyID("hs1").generate();
  }

  private OAuth2Backend backend(boolean verifyAud) throws Exception {
    Path f = Files.writeString(dir.resolve("hs1.json"), key.toJSONString());
    return new OAuth2Backend(new OAuth2Settings("rabbitmq", verifyAud, null, null, List.of("preferred_username"),
        "hs1", Map.of("hs1", f), null, Duration.ZERO, Map.of()), Clock.systemUTC());
  }

  private String token(JWTClaimsSet.Builder claims, boolean withKid) throws Exception {
    JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.HS256);
    if (withKid) {
      h.keyID("hs1");
    }
    SignedJWT jwt = new SignedJWT(h.build(), claims.build());
    jwt.sign(new MACSigner(key));
    return jwt.serialize();
  }

  private static JWTClaimsSet.Builder claims(String sub) {
    return new JWTClaimsSet.Builder().subject(sub).audience("rabbitmq")
        .expirationTime(Date.from(Instant.now().plusSeconds(60))).claim("scope", "rabbitmq.read:*/*");
  }

  @Test
  void anHs256TokenWithoutAKidUsesTheDefaultKey() throws Exception {
    User u = backend(true).login(token(claims("svc"), false));
    assertThat(u.name()).isEqualTo("svc");
    assertThat(u.credential()).isNotNull();
    assertThat(u.passwordHash()).isEmpty();
  }

  @Test
  void thePreferredUsernameClaimComesBeforeSub() throws Exception {
    assertThat(backend(true).login(token(claims("svc").claim("preferred_username", "alice"), true)).name())
        .isEqualTo("alice");
  }

  @Test
  void aTokenNotYetValidOrWithoutAudIsRefused() throws Exception {
    OAuth2Backend b = backend(true);
    assertThatThrownBy(() -> b.login(token(claims("svc").notBeforeTime(Date.from(Instant.now().plusSeconds(60))), true)))
        .hasMessageContaining("not valid before");
    assertThatThrownBy(() -> b.login(token(claims("svc").audience((String) null), true)))
        .hasMessageContaining("aud_field_is_missing");
    assertThat(backend(false).login(token(claims("svc").audience("other"), true)).name()).isEqualTo("svc");
  }

  @Test
  void aTamperedTokenIsRefused() throws Exception {
    String t = token(claims("svc"), true);
    String tampered = t.substring(0, t.length() - 4) + (t.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertThat(backend(true).authenticate("x", tampered, false)).isNull();
    assertThat(backend(true).authenticate("x", "not a jwt", false)).isNull();
  }

  @Test
  void refreshKeepsTheUserAndRefusesAnother() throws Exception {
    OAuth2Backend b = backend(true);
    User u = b.login(token(claims("svc"), true));
    assertThat(b.refresh(u, token(claims("svc"), true)).name()).isEqualTo("svc");
    assertThatThrownBy(() -> b.refresh(u, token(claims("other"), true)))
        .isInstanceOf(AuthBackend.SecretRefused.class).hasMessage("Not allowed to change username on refreshed token");
  }
}
