package io.warrenmq.server.config;

import java.util.List;

/**
 * The TLS side of the configuration (docs/tls.md): the AMQPS listeners and their options, the
 * management and Prometheus HTTPS listeners and theirs, how EXTERNAL takes a user name from a
 * client certificate, and how often certificate files are checked for changes.
 *
 * @param amqpListeners the AMQPS listeners ({@code listeners.ssl.*}); empty = none
 * @param amqp {@code ssl_options.*}
 * @param managementIp {@code management.ssl.ip} (defaults to {@code management.tcp.ip})
 * @param managementPort {@code management.ssl.port}; 0 = no HTTPS management listener
 * @param management {@code management.ssl.*}
 * @param prometheusIp {@code prometheus.ssl.ip} (defaults to {@code prometheus.tcp.ip})
 * @param prometheusPort {@code prometheus.ssl.port}; 0 = no HTTPS Prometheus listener
 * @param prometheus {@code prometheus.ssl.*}
 * @param certLogin {@code ssl_cert_login_from} and its SAN settings
 * @param reloadIntervalMs how often the certificate files are checked for changes; 0 = only on SIGHUP
 */
public record TlsConfig(
    List<Listener> amqpListeners,
    TlsOptions amqp,
    String managementIp,
    int managementPort,
    TlsOptions management,
    String prometheusIp,
    int prometheusPort,
    TlsOptions prometheus,
    CertLogin certLogin,
    int reloadIntervalMs) {

  /**
   * One AMQPS listener.
   *
   * @param ip the address; "" = every address of {@code bind}
   * @param port the port; 0 picks a free one
   * @param key the configuration key that asked for it, for messages
   */
  public record Listener(String ip, int port, String key) {}

  /**
   * Where EXTERNAL takes the user name from (rabbit_ssl:peer_cert_auth_name).
   *
   * @param from {@code common_name}, {@code distinguished_name} or {@code subject_alternative_name}
   * @param sanType with subject_alternative_name: {@code dns}, {@code ip}, {@code email}, {@code uri}
   *     or {@code other_name}
   * @param sanIndex with subject_alternative_name: which SAN of that type, from 0
   */
  public record CertLogin(String from, String sanType, int sanIndex) {}

  /** Whether any TLS listener is configured. */
  public boolean any() {
    return !amqpListeners.isEmpty() || managementPort > 0 || prometheusPort > 0;
  }
}
