package io.warrenmq.it.tls;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.BrokerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Certificate reload without a restart: replacing the files (found by the watcher, every
 * ssl_reload_interval ms) or SIGHUP to a broker process makes new TLS handshakes present the new
 * certificate, while a connection made before goes on working; a broken file is refused and the
 * old certificate stays.
 */
class CertReloadIT {
  static final TestCerts certs = TestCerts.create();

  @RegisterExtension
  static final BrokerExtension broker = new BrokerExtension(Map.of(
      "listeners.ssl.default", "0",
      "ssl_options.certfile", certs.dir.resolve("server.pem").toString(),
      "ssl_options.keyfile", certs.dir.resolve("server.key").toString(),
      "ssl_reload_interval", "200"));

  /** The serial of the certificate a new TLS handshake on {@code port} sees. */
  static BigInteger servedSerial(int port) {
    return servedSerial(certs, port);
  }

  static BigInteger servedSerial(TestCerts ca, int port) {
    try (SSLSocket s = (SSLSocket) ca.clientContext(null, "TLS").getSocketFactory().createSocket("localhost", port)) {
      s.setSoTimeout(5000);
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private ConnectionFactory tls(int port) throws Exception {
    return tls(certs, port);
  }

  private ConnectionFactory tls(TestCerts ca, int port) throws Exception {
    ConnectionFactory f = broker.factory();
    f.setPort(port);
    f.useSslProtocol(ca.clientContext(null, "TLS"));
    return f;
  }

  private static void roundTrip(Channel ch, String text) throws IOException {
    String q = ch.queueDeclare().getQueue();
    ch.basicPublish("", q, null, text.getBytes(StandardCharsets.UTF_8));
    GetResponse g = ch.basicGet(q, true);
    assertThat(new String(g.getBody(), StandardCharsets.UTF_8)).isEqualTo(text);
  }

  @Test
  void replacedFilesAreServedToNewConnectionsWhileTheOldOneGoesOn() throws Exception {
    BigInteger before = servedSerial(broker.tlsPort());
    try (Connection old = tls(broker.tlsPort()).newConnection(); Channel ch = old.createChannel()) {
      roundTrip(ch, "before");
      TestCerts.Issued next = certs.server("server", 30, TestCerts.KeyFormat.PKCS8, null);
      assertThat(next.serial()).isNotEqualTo(before);
      eventually(Duration.ofSeconds(10), "the new certificate served",
          () -> servedSerial(broker.tlsPort()).equals(next.serial()));
      roundTrip(ch, "after the reload, on the old connection");
      try (Connection fresh = tls(broker.tlsPort()).newConnection(); Channel ch2 = fresh.createChannel()) {
        roundTrip(ch2, "on a new connection");
      }

      // a broken file is refused: the certificate in effect stays
      Files.writeString(certs.dir.resolve("server.pem"), "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
      Thread.sleep(800);
      assertThat(servedSerial(broker.tlsPort())).isEqualTo(next.serial());
      assertThat(broker.server().reloadCertificates()).as("an explicit reload fails too").isZero();
      assertThat(servedSerial(broker.tlsPort())).isEqualTo(next.serial());
      roundTrip(ch, "still fine");
    } finally {
      certs.server("server", 30, TestCerts.KeyFormat.PKCS1, null);
    }
  }

  @Test
  void sighupReloadsABrokerProcess() throws Exception {
    TestCerts own = TestCerts.create();
    int tlsPort = BrokerProcess.freePort();
    Path data = Files.createTempDirectory("warren-sighup-");
    try (BrokerProcess p = new BrokerProcess(data, List.of("--ssl-port", Integer.toString(tlsPort),
        "--ssl-certfile", own.dir.resolve("server.pem").toString(), "--ssl-keyfile", own.dir.resolve("server.key").toString(),
        "--ssl-reload-interval", "0"))) {
      p.start();
      eventually(Duration.ofSeconds(10), "the AMQPS port", () -> canConnect(own, tlsPort));
      BigInteger first = servedSerial(own, tlsPort);
      try (Connection old = tls(own, tlsPort).newConnection(); Channel ch = old.createChannel()) {
        TestCerts.Issued next = own.server("server", 30, TestCerts.KeyFormat.PKCS1, null);
        Thread.sleep(500);
        assertThat(servedSerial(own, tlsPort)).as("no watcher: nothing changes before SIGHUP").isEqualTo(first);
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
        assertThat(kill.waitFor()).isZero();
        eventually(Duration.ofSeconds(10), "the new certificate served after SIGHUP",
            () -> servedSerial(own, tlsPort).equals(next.serial()));
        roundTrip(ch, "the old connection after SIGHUP");
      }
      assertThat(p.logText()).contains("certificate reloaded").contains("TLS for amqp: OpenSSL");
      assertThat(p.stop()).isZero();
    }
  }

  private static boolean canConnect(TestCerts ca, int port) {
    try {
      servedSerial(ca, port);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
