package io.warrenmq.it.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny identity provider for the tests: keys generated here (RSA and EC), tokens signed with
 * them, and a JWKS endpoint (the JDK's HTTP server on an ephemeral loopback port) serving the
 * public halves of the keys it has been told to publish.
 */
final class TokenIssuer implements AutoCloseable {
  private final HttpServer server;
  private final List<JWK> published = new CopyOnWriteArrayList<>();
  private final AtomicInteger jwksRequests = new AtomicInteger();

  TokenIssuer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/jwks", ex -> {
      jwksRequests.incrementAndGet();
      byte[] body = new JWKSet(published.stream().map(JWK::toPublicJWK).toList()).toString(true)
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("content-type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
  }

  String jwksUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
  }

  int jwksRequests() {
    return jwksRequests.get();
  }

  void publish(JWK key) {
    published.add(key);
  }

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static OctetSequenceKey hmac(String kid) {
    try {
      return new OctetSequenceKeyGenerator(256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The PEM of an RSA key's public half, as signing_keys files hold it. */
  static String pem(RSAKey key) throws JOSEException {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.toRSAPublicKey().getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
  }

  /** A token signed by {@code key} (RS256, ES256 or HS256), its kid in the header. */
  static String token(JWK key, Map<String, Object> claims) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
    claims.forEach(b::claim);
    try {
      JWSAlgorithm alg = switch (key) {
        case ECKey e -> JWSAlgorithm.ES256;
        case OctetSequenceKey o -> JWSAlgorithm.HS256;
        default -> JWSAlgorithm.RS256;
      };
      JWSSigner signer = switch (key) {
        case ECKey ec -> new ECDSASigner(ec);
        case OctetSequenceKey oct -> new MACSigner(oct);
        default -> new RSASSASigner((RSAKey) key);
      };
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), b.build());
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Standard claims: sub, aud, exp {@code ttlSeconds} from now, and the scopes. */
  static Map<String, Object> claims(String sub, String aud, long ttlSeconds, String scope) {
    return Map.of("sub", sub, "aud", aud, "exp", Date.from(Instant.now().plusSeconds(ttlSeconds)), "scope", scope);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
