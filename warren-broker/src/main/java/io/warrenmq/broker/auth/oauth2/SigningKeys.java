package io.warrenmq.broker.auth.oauth2;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys tokens are verified with: the configured {@code signing_keys} (read once, at start) and
 * the keys of {@code jwks_url}, fetched on first need and again when a token names a kid nobody
 * knows (uaa_jwt get_jwk), at most once per minimum refresh interval so that a flood of bad kids
 * cannot turn the broker into a load generator against the identity provider.
 *
 * <p>Thread-safe: the JWKS map is replaced whole; a fetch holds the object's lock, so concurrent
 * logins with one new kid fetch once.
 */
final class SigningKeys {
  private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

  private final Map<String, JWK> configured;
  private final @Nullable URI jwksUrl;
  private final Duration minRefresh;
  private final Clock clock;
  private final HttpClient http;
  private volatile Map<String, JWK> fetched = Map.of();
  private long lastFetchNanos;
  private boolean everFetched;
  private int fetches;

  SigningKeys(Map<String, Path> files, @Nullable URI jwksUrl, Duration minRefresh, Clock clock) {
    Map<String, JWK> m = new HashMap<>();
    files.forEach((kid, path) -> m.put(kid, read(kid, path)));
    this.configured = Map.copyOf(m);
    this.jwksUrl = jwksUrl;
    this.minRefresh = minRefresh;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** The key of {@code kid}, fetching the JWKS if it is unknown (rate-limited); null if none. */
  @Nullable JWK get(String kid) {
    JWK k = configured.get(kid);
    if (k == null) {
      k = fetched.get(kid);
    }
    if (k == null && jwksUrl != null && refresh(kid)) {
      k = fetched.get(kid);
    }
    return k;
  }

  /** How many times the JWKS was fetched (for the log and tests). */
  synchronized int fetches() {
    return fetches;
  }

  private synchronized boolean refresh(String kid) {
    if (fetched.containsKey(kid)) {
      return true; // another login fetched it meanwhile
    }
    long now = System.nanoTime();
    if (everFetched && now - lastFetchNanos < minRefresh.toNanos()) {
      log.warn("OAuth 2: signing key '{}' not found; the JWKS was fetched {} ms ago, not fetching again yet", kid,
          (now - lastFetchNanos) / 1_000_000);
      return false;
    }
    everFetched = true;
    lastFetchNanos = now;
    fetches++;
    URI url = jwksUrl;
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
          .header("accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        log.error("OAuth 2: failed to download keys from {}: HTTP {}", url, r.statusCode());
        return false;
      }
      Map<String, JWK> m = new HashMap<>();
      for (JWK j : JWKSet.parse(r.body()).getKeys()) {
        if (j.getKeyID() != null) {
          m.put(j.getKeyID(), j);
        }
      }
      fetched = Map.copyOf(m);
      log.info("OAuth 2: downloaded {} signing key(s) from {}", m.size(), url);
      return true;
    } catch (IOException | java.text.ParseException e) {
      log.error("OAuth 2: failed to download keys from {}: {}", url, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A signing key file: a PEM public key or certificate (RSA or EC), or a JWK in JSON (which is how
   * a symmetric HS256 key, {@code "kty": "oct"}, is given). Throws IllegalArgumentException naming
   * the file and what is wrong.
   */
  static JWK read(String kid, Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("signing key '" + kid + "': cannot read " + path + ": " + e.getMessage());
    }
    try {
      if (text.startsWith("{")) {
        return JWK.parse(text);
      }
      return fromPublicKey(kid, pemPublicKey(text));
    } catch (java.text.ParseException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("signing key '" + kid + "' in " + path
          + " is neither a PEM public key or certificate nor a JWK: " + e.getMessage());
    }
  }

  private static PublicKey pemPublicKey(String pem) throws GeneralSecurityException {
    if (pem.contains("-----BEGIN CERTIFICATE-----")) {
      return CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).getPublicKey();
    }
    if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new IllegalArgumentException("expected -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----");
    }
    String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(b64));
    try {
      return KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (GeneralSecurityException e) {
      return KeyFactory.getInstance("EC").generatePublic(spec);
    }
  }

  private static JWK fromPublicKey(String kid, PublicKey key) {
    return switch (key) {
      case RSAPublicKey rsa -> new RSAKey.Builder(rsa).keyID(kid).build();
      case ECPublicKey ec -> new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).keyID(kid).build();
      default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    };
  }

  Clock clock() {
    return clock;
  }
}
