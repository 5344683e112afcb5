package io.warrenmq.server.config;

import java.util.List;

/**
 * The TLS options of one kind of listener, under RabbitMQ's prefix for it: {@code ssl_options.}
 * (AMQPS), {@code management.ssl.}, {@code prometheus.ssl.}. Files are PEM; see docs/tls.md.
 *
 * @param prefix the keys' prefix, for messages ({@code "ssl_options."})
 * @param cacertfile the CAs that client certificates are verified against ("" = none)
 * @param certfile the server's certificate chain ("" = none; a TLS listener needs one)
 * @param keyfile its private key, PKCS#8 (encrypted or not) or PKCS#1
 * @param password the key's password ("" = not encrypted)
 * @param verifyPeer {@code verify = verify_peer}: ask for a client certificate and verify it
 * @param failIfNoPeerCert with verify_peer, refuse a client that sends none
 * @param versions the TLS versions allowed, as the JDK names them ({@code TLSv1.3}); empty = the
 *     provider's default (TLS 1.2 and 1.3)
 * @param ciphers the cipher suites allowed, as given (OpenSSL or IANA names); empty = the default
 * @param honorCipherOrder the server's cipher order wins over the client's
 * @param depth most intermediate CAs in a client's chain (-1 = no limit of ours)
 */
public record TlsOptions(
    String prefix,
    String cacertfile,
    String certfile,
    String keyfile,
    String password,
    boolean verifyPeer,
    boolean failIfNoPeerCert,
    List<String> versions,
    List<String> ciphers,
    boolean honorCipherOrder,
    int depth) {

  /** The key a field is set with, for messages: {@code key("certfile")} is "ssl_options.certfile". */
  public String key(String field) {
    return prefix + field;
  }
}
