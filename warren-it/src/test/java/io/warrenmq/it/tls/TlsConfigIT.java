package io.warrenmq.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.it.support.BrokerProcess;
import io.warrenmq.server.WarrenServer;
import io.warrenmq.server.config.BrokerConfig;
import io.warrenmq.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TLS configuration as an operator writes it in a config file: numbered keys
 * (ssl_options.versions.1), an encrypted PKCS#8 key with its password, and the errors that stop
 * the start naming the key: a TLS listener without certfile, a certfile that is not there, a
 * wrong key password, a TLS version not offered.
 */
class TlsConfigIT {
  static final TestCerts certs = TestCerts.create();

  private static Path configFile(String... lines) throws IOException {
    Path f = Files.createTempFile(certs.dir, "warren", ".conf");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  private static BrokerConfig load(Path file) throws IOException {
    Path data = Files.createTempDirectory("warren-tlsconf-");
    return ConfigLoader.load(new String[] {"--config", file.toString(), "--port", "0", "--bind", "127.0.0.1",
        "--data-dir", data.toString(), "--management-port", "0", "--prometheus-port", "0"}, Map.of());
  }

  @Test
  void aConfigFileWithNumberedVersionsAndAnEncryptedKeyServesOnlyTls13() throws Exception {
    TestCerts.Issued enc = certs.server("encrypted", 30, TestCerts.KeyFormat.PKCS8_ENCRYPTED, "s3cret");
    BrokerConfig config = load(configFile(
        "listeners.ssl.default = 0",
        "ssl_options.certfile = " + enc.certfile(),
        "ssl_options.keyfile = " + enc.keyfile(),
        "ssl_options.password = s3cret",
        "ssl_options.versions.1 = tlsv1.3",
        "ssl_options.honor_cipher_order = true"));
    assertThat(config.tls().amqp().versions()).containsExactly("TLSv1.3");
    try (WarrenServer s = WarrenServer.start(config)) {
      ConnectionFactory f = new ConnectionFactory();
      f.setHost("127.0.0.1");
      f.setPort(s.tlsPort());
      f.useSslProtocol(certs.clientContext(null, "TLSv1.3"));
      try (Connection c = f.newConnection()) {
        assertThat(c.isOpen()).isTrue();
      }
      ConnectionFactory old = new ConnectionFactory();
      old.setHost("127.0.0.1");
      old.setPort(s.tlsPort());
      old.useSslProtocol(certs.clientContext(null, "TLSv1.2"));
      assertThatThrownBy(old::newConnection).as("TLS 1.2 is not offered").isInstanceOf(IOException.class);
    }
  }

  @Test
  void aTlsListenerWithoutCertfileIsRefusedNamingTheKeys() {
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--ssl-port", "5671"}, Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessage("configuration key 'listeners.ssl.default' asks for a TLS listener but 'ssl_options.certfile' is not set");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--management-ssl-port", "15671",
        "--management-ssl-certfile", "x.pem"}, Map.of()))
        .hasMessageContaining("'management.ssl.keyfile' is not set");
    assertThatThrownBy(() -> load(configFile("ssl_options.versions.1 = tlsv1.1")))
        .hasMessageContaining("'ssl_options.versions' must list tlsv1.2 and/or tlsv1.3, got 'tlsv1.1'");
    assertThatThrownBy(() -> load(configFile("ssl_options.verify = verify_maybe")))
        .hasMessageContaining("'ssl_options.verify' must be one of verify_none, verify_peer, got 'verify_maybe'");
  }

  @Test
  void aMissingCertfileOrAWrongPasswordStopsTheStartNamingTheKey() throws Exception {
    BrokerConfig missing = load(configFile(
        "listeners.ssl.default = 0",
        "ssl_options.certfile = " + certs.dir.resolve("nowhere.pem"),
        "ssl_options.keyfile = " + certs.dir.resolve("server.key")));
    assertThatThrownBy(() -> WarrenServer.start(missing)).isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessage("configuration key 'ssl_options.certfile': cannot read " + certs.dir.resolve("nowhere.pem")
            + ": no such file");

    TestCerts.Issued enc = certs.server("encrypted2", 30, TestCerts.KeyFormat.PKCS8_ENCRYPTED, "right");
    BrokerConfig wrong = load(configFile(
        "listeners.ssl.default = 0",
        "ssl_options.certfile = " + enc.certfile(),
        "ssl_options.keyfile = " + enc.keyfile(),
        "ssl_options.password = wrong"));
    assertThatThrownBy(() -> WarrenServer.start(wrong)).isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageContaining("ssl_options.").hasMessageContaining("is ssl_options.password right?");
  }

  @Test
  void theBrokerProcessExitsSayingWhichFileIsMissing() throws Exception {
    Path data = Files.createTempDirectory("warren-tlsconf-");
    try (BrokerProcess p = new BrokerProcess(data, List.of("--ssl-port", "0",
        "--ssl-certfile", "/nonexistent/server.pem", "--ssl-keyfile", "/nonexistent/server.key"))) {
      assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("broker exited with 1")
          .hasMessageContaining("configuration key 'ssl_options.certfile': cannot read /nonexistent/server.pem: no such file");
    }
  }
}
