package io.warrenmq.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.it.support.BrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The AMQPS listener with the Java client: TLS 1.2 and 1.3, verify_peer with
 * fail_if_no_peer_cert refusing a client without a certificate, and SASL EXTERNAL logging in as
 * the user the client certificate's CN names (ssl_cert_login_from = common_name), with that
 * user's permissions, refused for a CN no user has, and not offered on the plain port.
 */
class AmqpsIT {
  static final TestCerts certs = TestCerts.create();

  @RegisterExtension
  static final BrokerExtension broker = new BrokerExtension(certs.mutualTlsSettings());

  private ConnectionFactory tls(SSLContext ctx) {
    ConnectionFactory f = broker.factory();
    f.setPort(broker.tlsPort());
    f.useSslProtocol(ctx);
    f.enableHostnameVerification();
    f.setHost("localhost");
    return f;
  }

  private static ConnectionView view(Connection c) {
    String name = c.getClientProvidedName();
    return broker.server().broker().connections().list().stream()
        .filter(v -> name.equals(v.clientProperties().getString("connection_name"))).findFirst().orElseThrow();
  }

  private static int names;

  private static Connection connect(ConnectionFactory f) throws Exception {
    return f.newConnection("tls-it-" + (++names));
  }

  @Test
  void theJavaClientTalksOverTls12AndTls13() throws Exception {
    TestCerts.Issued client = certs.client("guest");
    for (String version : List.of("TLSv1.2", "TLSv1.3")) {
      try (Connection c = connect(tls(certs.clientContext(client, version))); Channel ch = c.createChannel()) {
        String q = ch.queueDeclare().getQueue();
        ch.basicPublish("", q, null, ("over " + version).getBytes(StandardCharsets.UTF_8));
        GetResponse g = ch.basicGet(q, true);
        assertThat(new String(g.getBody(), StandardCharsets.UTF_8)).isEqualTo("over " + version);
        ConnectionView v = view(c);
        assertThat(v.ssl()).isTrue();
        assertThat(v.sslProtocol()).isEqualTo(version.toLowerCase(java.util.Locale.ROOT));
        assertThat(v.userName()).as("PLAIN still works over TLS").isEqualTo("guest");
      }
    }
  }

  @Test
  void aClientWithoutACertificateIsRefusedWithFailIfNoPeerCert() throws Exception {
    ConnectionFactory f = tls(certs.clientContext(null, "TLSv1.3"));
    assertThatThrownBy(f::newConnection).isInstanceOfAny(IOException.class, javax.net.ssl.SSLException.class);
    ConnectionFactory f12 = tls(certs.clientContext(null, "TLSv1.2"));
    assertThatThrownBy(f12::newConnection).isInstanceOfAny(IOException.class, javax.net.ssl.SSLException.class);
  }

  @Test
  void aPlainClientOnTheTlsPortGetsNoAmqp() {
    ConnectionFactory f = broker.factory();
    f.setPort(broker.tlsPort());
    f.setHandshakeTimeout(3000);
    assertThatThrownBy(f::newConnection).isInstanceOfAny(IOException.class, java.util.concurrent.TimeoutException.class);
  }

  @Test
  void externalLogsInAsTheUserTheCertificatesCommonNameNamesWithItsPermissions() throws Exception {
    broker.server().broker().addUser("alice", "not-used-by-external", List.of());
    broker.server().broker().setPermission("alice", "/", new Permission("^alice\\.", ".*", ".*"));
    ConnectionFactory f = tls(certs.clientContext(certs.client("alice"), "TLSv1.3"));
    f.setSaslConfig(DefaultSaslConfig.EXTERNAL);
    try (Connection c = connect(f)) {
      assertThat(view(c).userName()).isEqualTo("alice");
      Channel ch = c.createChannel();
      ch.queueDeclare("alice.q", false, false, true, null);
      assertThatThrownBy(() -> ch.queueDeclare("bob.q", false, false, true, null))
          .isInstanceOf(IOException.class)
          .cause().isInstanceOf(ShutdownSignalException.class)
          .hasMessageContaining("ACCESS_REFUSED - configure access to queue 'bob.q' in vhost '/' refused for user 'alice'");
    }
  }

  @Test
  void externalRefusesACertificateWhoseNameIsNoUser() throws Exception {
    ConnectionFactory f = tls(certs.clientContext(certs.client("mallory"), "TLSv1.3"));
    f.setSaslConfig(DefaultSaslConfig.EXTERNAL);
    assertThatThrownBy(f::newConnection).isInstanceOf(AuthenticationFailureException.class)
        .hasMessageContaining("ACCESS_REFUSED - Login was refused using authentication mechanism EXTERNAL");
  }

  @Test
  void externalIsNotOfferedOnThePlainPort() {
    ConnectionFactory f = broker.factory();
    f.setSaslConfig(DefaultSaslConfig.EXTERNAL);
    assertThatThrownBy(f::newConnection).isInstanceOf(IOException.class)
        .hasMessageContaining("server offered [PLAIN AMQPLAIN]");
  }
}
