package io.warrenmq.server.tls;

import io.warrenmq.server.config.TlsConfig;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * The user name SASL EXTERNAL takes from a verified client certificate, as RabbitMQ's
 * rabbit_ssl:peer_cert_auth_name: the subject's distinguished name (RFC 4514 text, most specific
 * first: {@code CN=alice,O=Example}), its common name (several CNs joined with ","), or the
 * N-th subject alternative name of a type.
 */
public final class PeerCertLogin {
  private PeerCertLogin() {}

  /** The user name, or null when the certificate has none of the kind asked for. */
  public static @Nullable String userName(X509Certificate cert, TlsConfig.CertLogin how) {
    return switch (how.from()) {
      case "distinguished_name" -> cert.getSubjectX500Principal().getName(X500Principal.RFC2253);
      case "common_name" -> commonName(cert);
      case "subject_alternative_name" -> san(cert, how.sanType(), how.sanIndex());
      default -> throw new IllegalArgumentException(how.from());
    };
  }

  private static @Nullable String commonName(X509Certificate cert) {
    List<String> cns = new ArrayList<>();
    try {
      List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName(X500Principal.RFC2253)).getRdns();
      for (Rdn r : rdns) { // LdapName lists the least specific first, as the certificate does
        if (r.getType().toUpperCase(Locale.ROOT).equals("CN")) {
          cns.add(r.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return cns.isEmpty() ? null : String.join(",", cns);
  }

  /** X.509 GeneralName tags (RFC 5280) of RabbitMQ's SAN types. */
  private static int tag(String type) {
    return switch (type) {
      case "other_name" -> 0;
      case "email" -> 1;
      case "dns" -> 2;
      case "uri" -> 6;
      case "ip" -> 7;
      default -> throw new IllegalArgumentException(type);
    };
  }

  private static @Nullable String san(X509Certificate cert, String type, int index) {
    Collection<List<?>> all;
    try {
      all = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return null;
    }
    if (all == null) {
      return null;
    }
    int want = tag(type);
    List<String> ofType = new ArrayList<>();
    for (List<?> san : all) {
      if (((Integer) san.get(0)) == want && san.get(1) instanceof String s) {
        ofType.add(s); // other_name comes as DER bytes: not taken (see docs/tls.md)
      }
    }
    return index < ofType.size() ? ofType.get(index) : null;
  }
}
