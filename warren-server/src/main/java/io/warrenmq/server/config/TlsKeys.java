package io.warrenmq.server.config;

import io.warrenmq.server.config.ConfigLoader.ConfigException;
import io.warrenmq.server.config.ConfigLoader.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The TLS keys of {@link ConfigLoader}, with RabbitMQ's names (rabbit.schema,
 * rabbitmq_management.schema, rabbitmq_prometheus.schema), and how they build a {@link TlsConfig}.
 *
 * <p>RabbitMQ's numbered keys ({@code listeners.ssl.1}, {@code ssl_options.versions.1}, ...) are
 * <em>families</em>: in a file every {@code FAMILY.NAME = value} line adds a value, in file order;
 * a flag or an environment variable sets the whole family as a comma-separated list
 * ({@code --ssl-versions tlsv1.2,tlsv1.3}).
 */
final class TlsKeys {
  /** The prefixes of the three option sets, with the short names of their flags. */
  private static final List<String[]> PREFIXES = List.of(
      new String[] {"ssl_options.", "ssl-", "AMQPS listeners"},
      new String[] {"management.ssl.", "management-ssl-", "the HTTPS management listener"},
      new String[] {"prometheus.ssl.", "prometheus-ssl-", "the HTTPS Prometheus listener"});

  private static final Set<String> VERSIONS = Set.of("tlsv1.2", "tlsv1.3");

  static final List<Key> KEYS = keys();

  /** The families: a file line {@code FAMILY.NAME = v} adds v to the key FAMILY. */
  static final List<String> FAMILIES = List.of("listeners.ssl", "ssl_options.versions", "ssl_options.ciphers",
      "management.ssl.versions", "management.ssl.ciphers", "prometheus.ssl.versions", "prometheus.ssl.ciphers");

  private TlsKeys() {}

  private static List<Key> keys() {
    List<Key> k = new ArrayList<>();
    k.add(Key.rabbit("listeners.ssl.default", "ssl-port", "",
        "AMQPS port on every address of bind (RabbitMQ's key; 5671 is the usual one); none by default"));
    k.add(Key.rabbit("listeners.ssl", "ssl-listeners", "",
        "more AMQPS listeners: listeners.ssl.NAME = PORT or IP:PORT lines in a file, comma-separated elsewhere"));
    k.add(Key.rabbit("management.ssl.port", "management-ssl-port", "",
        "port of the management API and UI over HTTPS (RabbitMQ's key); none by default"));
    k.add(Key.rabbit("management.ssl.ip", "management-ssl-ip", "",
        "address of the HTTPS management listener (default: management.tcp.ip)"));
    k.add(Key.rabbit("prometheus.ssl.port", "prometheus-ssl-port", "",
        "port of the Prometheus endpoint over HTTPS (RabbitMQ's key); none by default"));
    k.add(Key.rabbit("prometheus.ssl.ip", "prometheus-ssl-ip", "",
        "address of the HTTPS Prometheus listener (default: prometheus.tcp.ip)"));
    for (String[] p : PREFIXES) {
      String what = p[2];
      k.add(Key.rabbit(p[0] + "cacertfile", p[1] + "cacertfile", "", "PEM file of the CAs client certificates are verified against (" + what + ")"));
      k.add(Key.rabbit(p[0] + "certfile", p[1] + "certfile", "", "PEM file of the server certificate, then its chain (" + what + ")"));
      k.add(Key.rabbit(p[0] + "keyfile", p[1] + "keyfile", "", "PEM file of the server's private key, PKCS#8 or PKCS#1 (" + what + ")"));
      k.add(Key.rabbit(p[0] + "password", p[1] + "password", "", "password of an encrypted (PKCS#8) keyfile (" + what + ")"));
      k.add(Key.rabbit(p[0] + "verify", p[1] + "verify", "verify_none",
          "verify_peer asks clients for a certificate and verifies it against cacertfile; verify_none does not (" + what + ")"));
      k.add(Key.rabbit(p[0] + "fail_if_no_peer_cert", p[1] + "fail-if-no-peer-cert", "false",
          "with verify_peer, refuse clients that send no certificate (" + what + ")"));
      k.add(Key.rabbit(p[0] + "versions", p[1] + "versions", "",
          "TLS versions allowed, tlsv1.2 and/or tlsv1.3 (" + p[0] + "versions.N lines in a file); default both (" + what + ")"));
      k.add(Key.rabbit(p[0] + "ciphers", p[1] + "ciphers", "",
          "cipher suites allowed, OpenSSL or IANA names (" + p[0] + "ciphers.N lines in a file); default the provider's (" + what + ")"));
      k.add(Key.rabbit(p[0] + "honor_cipher_order", p[1] + "honor-cipher-order", "false",
          "the server's cipher order wins over the client's (" + what + ")"));
      k.add(Key.rabbit(p[0] + "depth", p[1] + "depth", "",
          "most intermediate CAs in a client's certificate chain; default no limit (" + what + ")"));
    }
    k.add(new Key("ssl_cert_login_from", "distinguished_name",
        "where SASL EXTERNAL takes the user name from: distinguished_name, common_name or subject_alternative_name"));
    k.add(new Key("ssl_cert_login_san_type", "dns",
        "with subject_alternative_name, which SAN type: dns, ip, email, uri or other_name"));
    k.add(new Key("ssl_cert_login_san_index", "0", "with subject_alternative_name, which SAN of that type (from 0)"));
    k.add(new Key("ssl_reload_interval", "5000",
        "milliseconds between two checks of the certificate files for changes (0: reload on SIGHUP only)"));
    return List.copyOf(k);
  }

  /** The family a file key belongs to ({@code ssl_options.versions.1}: {@code ssl_options.versions}), or null. */
  static String familyOf(String key) {
    if (key.equals("listeners.ssl.default")) {
      return null;
    }
    for (String f : FAMILIES) {
      if (key.startsWith(f + ".") && key.length() > f.length() + 1 && key.indexOf('.', f.length() + 1) < 0) {
        return f;
      }
    }
    return null;
  }

  static TlsConfig build(Map<String, String> v, String managementTcpIp, String prometheusTcpIp) {
    List<TlsConfig.Listener> listeners = new ArrayList<>();
    String def = v.get("listeners.ssl.default").strip();
    if (!def.isEmpty()) {
      listeners.add(listener(def, "listeners.ssl.default"));
    }
    for (String s : list(v.get("listeners.ssl"))) {
      listeners.add(listener(s, "listeners.ssl"));
    }
    int mgmtPort = optionalPort(v, "management.ssl.port");
    int promPort = optionalPort(v, "prometheus.ssl.port");
    TlsOptions amqp = options(v, "ssl_options.", !listeners.isEmpty(),
        listeners.isEmpty() ? "listeners.ssl" : listeners.getFirst().key());
    TlsOptions mgmt = options(v, "management.ssl.", mgmtPort > 0, "management.ssl.port");
    TlsOptions prom = options(v, "prometheus.ssl.", promPort > 0, "prometheus.ssl.port");
    String from = v.get("ssl_cert_login_from").strip();
    if (from.equals("subject_alt_name")) {
      from = "subject_alternative_name";
    }
    oneOf("ssl_cert_login_from", from, Set.of("distinguished_name", "common_name", "subject_alternative_name"));
    String sanType = v.get("ssl_cert_login_san_type").strip();
    oneOf("ssl_cert_login_san_type", sanType, Set.of("dns", "ip", "email", "uri", "other_name"));
    int sanIndex = number(v, "ssl_cert_login_san_index", 0, Integer.MAX_VALUE);
    return new TlsConfig(List.copyOf(listeners), amqp, or(v.get("management.ssl.ip"), managementTcpIp), mgmtPort, mgmt,
        or(v.get("prometheus.ssl.ip"), prometheusTcpIp), promPort, prom,
        new TlsConfig.CertLogin(from, sanType, sanIndex), number(v, "ssl_reload_interval", 0, 86_400_000));
  }

  private static String or(String value, String fallback) {
    return value.isBlank() ? fallback : value.strip();
  }

  private static TlsConfig.Listener listener(String s, String key) {
    int colon = s.lastIndexOf(':');
    String ip = colon < 0 ? "" : s.substring(0, colon).strip();
    if (ip.startsWith("[") && ip.endsWith("]")) {
      ip = ip.substring(1, ip.length() - 1);
    }
    String port = colon < 0 ? s : s.substring(colon + 1);
    try {
      int p = Integer.parseInt(port.strip());
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return new TlsConfig.Listener(ip, p, key);
    } catch (NumberFormatException e) {
      throw new ConfigException("configuration key '" + key + "' must be PORT or IP:PORT, got '" + s + "'");
    }
  }

  private static int optionalPort(Map<String, String> v, String key) {
    return v.get(key).isBlank() ? 0 : number(v, key, 0, 65535);
  }

  private static TlsOptions options(Map<String, String> v, String p, boolean used, String usedBy) {
    String certfile = v.get(p + "certfile").strip();
    String keyfile = v.get(p + "keyfile").strip();
    if (used && certfile.isEmpty()) {
      throw new ConfigException("configuration key '" + usedBy + "' asks for a TLS listener but '" + p
          + "certfile' is not set");
    }
    if (used && keyfile.isEmpty()) {
      throw new ConfigException("configuration key '" + usedBy + "' asks for a TLS listener but '" + p
          + "keyfile' is not set");
    }
    String verify = v.get(p + "verify").strip();
    oneOf(p + "verify", verify, Set.of("verify_peer", "verify_none"));
    boolean verifyPeer = verify.equals("verify_peer");
    String cacert = v.get(p + "cacertfile").strip();
    if (used && verifyPeer && cacert.isEmpty()) {
      throw new ConfigException("configuration key '" + p + "verify' is verify_peer but '" + p
          + "cacertfile' is not set: client certificates cannot be verified");
    }
    List<String> versions = new ArrayList<>();
    for (String s : list(v.get(p + "versions"))) {
      String lower = s.toLowerCase(Locale.ROOT);
      if (!VERSIONS.contains(lower)) {
        throw new ConfigException("configuration key '" + p + "versions' must list tlsv1.2 and/or tlsv1.3, got '" + s
            + "' (older versions are not offered)");
      }
      versions.add(lower.equals("tlsv1.2") ? "TLSv1.2" : "TLSv1.3");
    }
    String depth = v.get(p + "depth").strip();
    return new TlsOptions(p, cacert, certfile, keyfile, v.get(p + "password"), verifyPeer,
        ConfigLoader.boolValue(v, p + "fail_if_no_peer_cert"), List.copyOf(versions), list(v.get(p + "ciphers")),
        ConfigLoader.boolValue(v, p + "honor_cipher_order"), depth.isEmpty() ? -1 : number(v, p + "depth", 0, 255));
  }

  private static List<String> list(String s) {
    return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
  }

  private static void oneOf(String key, String value, Set<String> allowed) {
    if (!allowed.contains(value)) {
      throw new ConfigException("configuration key '" + key + "' must be one of " + String.join(", ",
          allowed.stream().sorted().toList()) + ", got '" + value + "'");
    }
  }

  private static int number(Map<String, String> v, String key, int min, int max) {
    String s = v.get(key);
    int n;
    try {
      n = Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException("configuration key '" + key + "' must be a number, got '" + s + "'");
    }
    if (n < min || n > max) {
      throw new ConfigException("configuration key '" + key + "' must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }
}
