package io.warrenmq.broker.auth.oauth2;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.warrenmq.broker.auth.AuthBackend;
import io.warrenmq.broker.auth.User;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's OAuth 2 backend (rabbit_auth_backend_oauth2, 3.13.7): the password is a JWT; the user
 * name the client gives is ignored. The token's signature must verify with the key its {@code kid}
 * names (or {@code default_key}); {@code exp} must lie ahead and {@code nbf}, if present, behind;
 * with {@code verify_aud}, {@code aud} must contain {@code resource_server_id}. The user is named
 * by the first of {@code preferred_username_claims}, {@code sub}, {@code client_id} the token has
 * ("unknown" if none); its tags and permissions are its scopes' ({@link TokenAuthz}).
 *
 * <p>Thread-safe. A login may fetch the JWKS over HTTP (first use, unknown kid, rate-limited), so
 * callers on an event loop hand logins to another thread.
 */
public final class OAuth2Backend implements AuthBackend {
  private static final Logger log = LoggerFactory.getLogger(OAuth2Backend.class);
  public static final String NAME = "oauth2";

  private final OAuth2Settings settings;
  private final SigningKeys keys;
  private final Clock clock;

  /** Reads the signing key files now: throws IllegalArgumentException naming a bad one. */
  public OAuth2Backend(OAuth2Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.keys = new SigningKeys(settings.signingKeys(), settings.jwksUrl(), settings.jwksMinRefresh(), clock);
  }

  /**
   * Checks a {@code signing_keys} file: a PEM public key or certificate, or a JWK. Throws
   * IllegalArgumentException saying what is wrong.
   */
  public static void checkKeyFile(String kid, java.nio.file.Path path) {
    SigningKeys.read(kid, path);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String module() {
    return TokenAuthz.MODULE;
  }

  /** How many times the JWKS was downloaded. */
  public int jwksFetches() {
    return keys.fetches();
  }

  @Override
  public @Nullable User authenticate(String username, String secret, boolean loopback) {
    try {
      return login(secret);
    } catch (Refused e) {
      log.warn("OAuth 2 login refused: {}", e.getMessage());
      return null;
    }
  }

  @Override
  public User refresh(User current, String secret) {
    User u;
    try {
      u = login(secret);
    } catch (Refused e) {
      throw new SecretRefused("Authentication using an OAuth 2/JWT token failed: " + e.getMessage());
    }
    if (!u.name().equals(current.name())) {
      // RabbitMQ 4.x (ensure_same_username); 3.13.7 took any valid token
      throw new SecretRefused("Not allowed to change username on refreshed token");
    }
    return u;
  }

  /** The user a token logs in, or Refused saying why. */
  public User login(String token) throws Refused {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token.strip());
    } catch (ParseException e) {
      throw new Refused("provided token is invalid");
    }
    String kid = jwt.getHeader().getKeyID();
    if (kid == null) {
      kid = settings.defaultKey();
      if (kid == null) {
        throw new Refused("the token has no kid and no auth_oauth2.default_key is configured");
      }
    }
    JWK key = keys.get(kid);
    if (key == null) {
      throw new Refused("signing key '" + kid + "' not found");
    }
    try {
      if (!jwt.verify(verifier(key))) {
        throw new Refused("signature_invalid");
      }
    } catch (JOSEException e) {
      throw new Refused("signature_invalid (" + e.getMessage() + ")");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new Refused("provided token is invalid");
    }
    long now = clock.instant().getEpochSecond();
    Date exp = claims.getExpirationTime();
    if (exp != null && exp.toInstant().getEpochSecond() <= now) {
      throw new Refused("Provided JWT token has expired at timestamp " + exp.toInstant().getEpochSecond()
          + " (validated at " + now + ")");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().getEpochSecond() > now) {
      throw new Refused("the token is not valid before " + nbf.toInstant().getEpochSecond());
    }
    checkAudience(claims);
    Map<String, Object> all = claims.getClaims();
    List<String> scopes = TokenScopes.of(all, settings);
    TokenAuthz authz = new TokenAuthz(scopes, stringClaims(all),
        exp == null ? Long.MAX_VALUE : exp.toInstant().getEpochSecond(), clock);
    return User.ofCredential(username(all), TokenScopes.tags(scopes), authz);
  }

  private void checkAudience(JWTClaimsSet claims) throws Refused {
    String id = settings.resourceServerId();
    if (!settings.verifyAud() || id.isEmpty()) {
      return;
    }
    List<String> aud = new ArrayList<>();
    for (String a : claims.getAudience()) {
      aud.addAll(TokenScopes.strings(a)); // a space-separated aud string counts as a list
    }
    if (claims.getClaim("aud") == null) {
      throw new Refused("{badarg,{aud_field_is_missing}}");
    }
    if (!aud.contains(id)) {
      throw new Refused("{invalid_aud,{resource_id_not_found_in_aud," + id + "," + aud + "}}");
    }
  }

  private String username(Map<String, Object> claims) {
    List<String> order = new ArrayList<>(settings.preferredUsernameClaims());
    order.add("sub");
    order.add("client_id");
    for (String c : order) {
      if (claims.get(c) instanceof String s) {
        return s;
      }
    }
    return "unknown";
  }

  private static Map<String, Object> stringClaims(Map<String, Object> all) {
    Map<String, Object> out = new java.util.HashMap<>();
    all.forEach((k, v) -> {
      if (v instanceof String) {
        out.put(k, v);
      }
    });
    return out;
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException, Refused {
    return switch (key) {
      case RSAKey rsa -> new RSASSAVerifier(rsa.toRSAPublicKey());
      case ECKey ec -> new ECDSAVerifier(ec.toECPublicKey());
      case OctetSequenceKey oct -> new MACVerifier(oct.toByteArray());
      default -> throw new Refused("unsupported key type " + key.getKeyType());
    };
  }

  /** A token refused, with RabbitMQ's reason where it has one; for the log. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }
}
