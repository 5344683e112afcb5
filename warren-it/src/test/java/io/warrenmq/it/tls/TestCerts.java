package io.warrenmq.it.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA and certificates it signs, made with BouncyCastle into a directory as PEM files, the
 * way an operator's openssl would: {@code ca.pem}, {@code server.pem} + {@code server.key}
 * (CN=localhost, SAN DNS localhost and IP 127.0.0.1), and client certificates by name.
 */
final class TestCerts {
  private static final String SIGNATURE = "SHA256withRSA";

  final Path dir;
  private final KeyPair caKeys;
  final X509Certificate ca;
  private long nextSerial = 1000;

  private TestCerts(Path dir) throws GeneralSecurityException, IOException {
    this.dir = dir;
    this.caKeys = rsa();
    X500Name name = new X500Name("CN=WarrenMQ test CA,O=WarrenMQ tests");
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(1), Date.from(Instant.now().minusSeconds(3600)),
        Date.from(Instant.now().plus(Duration.ofDays(3650))), name, caKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.ca = sign(b, caKeys);
    write(dir.resolve("ca.pem"), pem(ca));
  }

  /** A CA in a new temporary directory, with server.pem / server.key (PKCS#1) valid 30 days. */
  static TestCerts create() {
    try {
      TestCerts c = new TestCerts(Files.createTempDirectory("warren-tls-"));
      c.server("server", 30, KeyFormat.PKCS1, null);
      return c;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  enum KeyFormat { PKCS1, PKCS8, PKCS8_ENCRYPTED }

  /** A certificate and key as PEM files NAME.pem and NAME.key. */
  record Issued(X509Certificate certificate, KeyPair keys, Path certfile, Path keyfile) {
    BigInteger serial() {
      return certificate.getSerialNumber();
    }
  }

  Path caFile() {
    return dir.resolve("ca.pem");
  }

  /** The server certificate for localhost, valid for {@code days}, written over NAME.pem and NAME.key. */
  Issued server(String name, int days, KeyFormat format, String password) throws GeneralSecurityException, IOException {
    KeyPair keys = rsa();
    X509v3CertificateBuilder b = builder("CN=localhost,O=WarrenMQ tests", keys, days);
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    return issue(name, sign(b, caKeys), keys, format, password);
  }

  /** A client certificate whose subject is CN={@code cn},O=WarrenMQ tests, with an email SAN. */
  Issued client(String cn) throws GeneralSecurityException, IOException {
    KeyPair keys = rsa();
    X509v3CertificateBuilder b = builder("CN=" + cn + ",O=WarrenMQ tests", keys, 30);
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
        new GeneralName(GeneralName.rfc822Name, cn + "@example.com")));
    return issue("client-" + cn, sign(b, caKeys), keys, KeyFormat.PKCS8, null);
  }

  private X509v3CertificateBuilder builder(String subject, KeyPair keys, int days) throws IOException {
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=WarrenMQ test CA,O=WarrenMQ tests"),
        BigInteger.valueOf(nextSerial++), Date.from(Instant.now().minusSeconds(3600)),
        Date.from(Instant.now().plus(Duration.ofDays(days))), new X500Name(subject), keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    return b;
  }

  private Issued issue(String name, X509Certificate cert, KeyPair keys, KeyFormat format, String password)
      throws IOException, GeneralSecurityException {
    Path certfile = dir.resolve(name + ".pem");
    Path keyfile = dir.resolve(name + ".key");
    // replaced as an operator would: write aside, then move over the old file
    write(certfile, pem(cert));
    write(keyfile, keyPem(keys, format, password));
    return new Issued(cert, keys, certfile, keyfile);
  }

  /**
   * An AMQPS listener on a free port with this CA, the server certificate, verify_peer and
   * fail_if_no_peer_cert, and EXTERNAL taking the user from the client certificate's CN.
   */
  java.util.Map<String, String> mutualTlsSettings() {
    return java.util.Map.of(
        "listeners.ssl.default", "0",
        "ssl_options.cacertfile", caFile().toString(),
        "ssl_options.certfile", dir.resolve("server.pem").toString(),
        "ssl_options.keyfile", dir.resolve("server.key").toString(),
        "ssl_options.verify", "verify_peer",
        "ssl_options.fail_if_no_peer_cert", "true",
        "ssl_cert_login_from", "common_name");
  }

  private static void write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String keyPem(KeyPair keys, KeyFormat format, String password) throws IOException {
    try {
      Object o = switch (format) {
        case PKCS1 -> keys.getPrivate(); // BouncyCastle writes an RSA key as BEGIN RSA PRIVATE KEY
        case PKCS8 -> new JcaPKCS8Generator(keys.getPrivate(), null);
        case PKCS8_ENCRYPTED -> new JcaPKCS8Generator(keys.getPrivate(),
            new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .setPassword(password.toCharArray()).build());
      };
      return pemOf(o);
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new IOException(e);
    }
  }

  static String pem(X509Certificate c) {
    try {
      return pemOf(c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pemOf(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    }
    return w.toString();
  }

  private static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer) throws GeneralSecurityException {
    try {
      ContentSigner s = new JcaContentSignerBuilder(SIGNATURE).build(issuer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(b.build(s));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** A client SSLContext trusting this CA, presenting {@code client} when given. */
  SSLContext clientContext(Issued client, String protocol) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", client.keys().getPrivate(), new char[0], new java.security.cert.Certificate[] {
          client.certificate(), ca});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance(protocol);
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
