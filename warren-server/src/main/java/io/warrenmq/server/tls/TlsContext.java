package io.warrenmq.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.warrenmq.server.config.ConfigLoader.ConfigException;
import io.warrenmq.server.config.TlsOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of TLS for one kind of listener, built from its {@link TlsOptions}: an
 * {@link SslContext} (OpenSSL through netty-tcnative's BoringSSL where it loads, the JDK's
 * provider otherwise) that is rebuilt when the files change ({@link #reloadIfChanged}) or on
 * request ({@link #reload}), and swapped in atomically: new handshakes use the new certificate,
 * connections already up keep their session.
 *
 * <p>Threading: {@link #newHandler} from any event loop; reloads from one thread at a time.
 */
public final class TlsContext {
  private static final Logger log = LoggerFactory.getLogger(TlsContext.class);
  /** RabbitMQ's ssl_handshake_timeout default. */
  private static final long HANDSHAKE_TIMEOUT_MS = 5000;

  private record Loaded(SslContext context, X509Certificate certificate, String stamp) {}

  private final String name;
  private final TlsOptions options;
  private final AtomicReference<Loaded> current = new AtomicReference<>();
  /** The files' stamp of the last attempt, so that a broken file is reported once, not every check. */
  private volatile String lastTried;

  private TlsContext(String name, TlsOptions options, Loaded first) {
    this.name = name;
    this.options = options;
    this.current.set(first);
    this.lastTried = first.stamp();
  }

  /**
   * Loads the files of {@code options}.
   *
   * @param name what the listener serves ("amqp", "management", "prometheus"), for logs
   * @throws ConfigException naming the key whose file is missing or unusable
   */
  public static TlsContext load(String name, TlsOptions options) {
    TlsContext c = new TlsContext(name, options, build(options));
    log.info("TLS for {}: {} provider, certificate '{}' (serial {}, valid until {})", name,
        OpenSsl.isAvailable() ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK",
        c.certificate().getSubjectX500Principal().getName(), c.certificate().getSerialNumber().toString(16),
        c.certificate().getNotAfter().toInstant());
    return c;
  }

  /** The name of the TLS provider in use: "openssl" or "jdk". */
  public static String provider() {
    return OpenSsl.isAvailable() ? "openssl" : "jdk";
  }

  public TlsOptions options() {
    return options;
  }

  /** The server certificate presented now (the first of certfile). */
  public X509Certificate certificate() {
    return current.get().certificate();
  }

  /** A handler for a new connection, with the certificate in effect now. */
  public SslHandler newHandler(ByteBufAllocator alloc) {
    SslHandler h = current.get().context().newHandler(alloc);
    h.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS);
    if (options.honorCipherOrder()) {
      SSLEngine e = h.engine();
      SSLParameters p = e.getSSLParameters();
      p.setUseCipherSuitesOrder(true);
      e.setSSLParameters(p);
    }
    return h;
  }

  /** Rebuilds from the files when they changed since the last attempt; true if the certificate was swapped. */
  public boolean reloadIfChanged() {
    String stamp = stamp(options);
    if (stamp.equals(lastTried)) {
      return false;
    }
    return reloadNow(stamp);
  }

  /** Rebuilds from the files (SIGHUP); a failure is logged and the certificate in effect stays. */
  public boolean reload() {
    return reloadNow(stamp(options));
  }

  private boolean reloadNow(String stamp) {
    lastTried = stamp;
    try {
      Loaded next = build(options);
      Loaded before = current.getAndSet(next);
      log.info("TLS for {}: certificate reloaded, serial {} -> {}", name,
          before.certificate().getSerialNumber().toString(16), next.certificate().getSerialNumber().toString(16));
      return true;
    } catch (RuntimeException e) {
      log.error("TLS for {}: reload failed, keeping the certificate in effect: {}", name, e.getMessage());
      return false;
    }
  }

  private static Loaded build(TlsOptions o) {
    String stamp = stamp(o);
    List<X509Certificate> chain = certificates(o, "certfile");
    if (chain.isEmpty()) {
      throw new ConfigException("configuration key '" + o.key("certfile") + "': no certificate in " + o.certfile());
    }
    String keyPem;
    try {
      keyPem = PemKeys.pkcs8(read(o, "keyfile"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("configuration key '" + o.key("keyfile") + "' (" + o.keyfile() + "): " + e.getMessage());
    }
    try {
      SslContextBuilder b = SslContextBuilder.forServer(pemOf(chain), stream(keyPem),
              o.password().isEmpty() ? null : o.password())
          .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
          .clientAuth(!o.verifyPeer() ? ClientAuth.NONE : o.failIfNoPeerCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
      if (!o.cacertfile().isEmpty()) {
        b.trustManager(trustManager(o));
      }
      if (!o.versions().isEmpty()) {
        b.protocols(o.versions());
      }
      if (!o.ciphers().isEmpty()) {
        b.ciphers(javaNames(o.ciphers()));
      }
      return new Loaded(b.build(), chain.getFirst(), stamp);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new ConfigException("TLS options '" + o.prefix() + "*' (certfile " + o.certfile() + ", keyfile "
          + o.keyfile() + "): " + why + (o.password().isEmpty() ? "" : " (is " + o.key("password") + " right?)"));
    }
  }

  /** OpenSSL names (ECDHE-RSA-AES256-GCM-SHA384) as the JDK's; IANA names (TLS_...) pass as they are. */
  private static List<String> javaNames(List<String> ciphers) {
    List<String> out = new ArrayList<>();
    for (String c : ciphers) {
      String java = c.startsWith("TLS_") || c.startsWith("SSL_") ? c : CipherSuiteConverter.toJava(c, "TLS");
      out.add(java == null ? c : java);
    }
    return out;
  }

  private static X509TrustManager trustManager(TlsOptions o) throws GeneralSecurityException, IOException {
    List<X509Certificate> cas = certificates(o, "cacertfile");
    if (cas.isEmpty()) {
      throw new ConfigException("configuration key '" + o.key("cacertfile") + "': no certificate in " + o.cacertfile());
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    for (int i = 0; i < cas.size(); i++) {
      ks.setCertificateEntry("ca" + i, cas.get(i));
    }
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(ks);
    X509TrustManager tm = (X509TrustManager) f.getTrustManagers()[0];
    return o.depth() < 0 ? tm : new DepthLimitedTrustManager(tm, o.depth());
  }

  /** The certificates of a PEM file (certfile, cacertfile), in order. */
  static List<X509Certificate> certificates(TlsOptions o, String field) {
    String text = read(o, field);
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(stream(text))) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new ConfigException("configuration key '" + o.key(field) + "' (" + path(o, field) + "): not a PEM"
          + " certificate file: " + e.getMessage());
    }
  }

  private static String read(TlsOptions o, String field) {
    Path p = Path.of(path(o, field));
    try {
      return Files.readString(p, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException("configuration key '" + o.key(field) + "': cannot read " + p + ": "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString()));
    }
  }

  private static String path(TlsOptions o, String field) {
    return switch (field) {
      case "certfile" -> o.certfile();
      case "keyfile" -> o.keyfile();
      case "cacertfile" -> o.cacertfile();
      default -> throw new IllegalArgumentException(field);
    };
  }

  private static InputStream pemOf(List<X509Certificate> chain) throws GeneralSecurityException {
    StringBuilder sb = new StringBuilder();
    java.util.Base64.Encoder enc = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'});
    for (X509Certificate c : chain) {
      sb.append("-----BEGIN CERTIFICATE-----\n").append(enc.encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return stream(sb.toString());
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** What changes when a file is replaced or touched: each file's modification time and size. */
  private static String stamp(TlsOptions o) {
    StringBuilder sb = new StringBuilder();
    for (String f : new String[] {o.certfile(), o.keyfile(), o.cacertfile()}) {
      if (f.isEmpty()) {
        continue;
      }
      try {
        Path p = Path.of(f);
        var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
        sb.append(a.lastModifiedTime()).append('/').append(a.size()).append('/').append(a.fileKey()).append(';');
      } catch (IOException e) {
        sb.append("missing;");
      }
    }
    return sb.toString();
  }
}
