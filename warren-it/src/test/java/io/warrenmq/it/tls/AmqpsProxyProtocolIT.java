package io.warrenmq.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ProxyProtocolRelay;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PROXY protocol on the AMQPS listener: the header comes first, then the TLS handshake, as
 * RabbitMQ reads it (ranch's recv_proxy_header before ssl:handshake). Without
 * {@code proxy_protocol.trusted_sources} every balancer is trusted, as in RabbitMQ.
 */
class AmqpsProxyProtocolIT {
  static final TestCerts certs = TestCerts.create();

  @RegisterExtension
  static final BrokerExtension broker = BrokerExtension.withManagement(settings());

  private static Map<String, String> settings() {
    Map<String, String> s = new HashMap<>(certs.mutualTlsSettings());
    s.put("proxy_protocol", "true");
    return s;
  }

  private static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.20", 40100);
  private static final InetSocketAddress FRONT = new InetSocketAddress("192.0.2.10", 5671);

  @BeforeAll
  static void users() {
    broker.server().broker().addUser("roamer", "pw", List.of());
    broker.server().broker().setPermission("roamer", "/", Permission.ALL);
  }

  private static ConnectionFactory tls(int port) throws Exception {
    ConnectionFactory f = broker.factory();
    f.setPort(port);
    f.setUsername("roamer");
    f.setPassword("pw");
    f.useSslProtocol(certs.clientContext(certs.client("roamer"), "TLSv1.3"));
    f.enableHostnameVerification();
    f.setHost("localhost");
    f.setHandshakeTimeout(5000);
    return f;
  }

  @Test
  void aHeaderBeforeTheTlsHandshakeGivesTheClientsAddress() throws Exception {
    try (ProxyProtocolRelay relay = new ProxyProtocolRelay(broker.tlsPort(), ProxyProtocolRelay.v2(CLIENT, FRONT));
        Connection c = tls(relay.port()).newConnection("pp-tls")) {
      Map<String, Object> m = ManagementHttp.guest(broker).get("/api/connections").jsonList().stream()
          .filter(x -> "pp-tls".equals(x.get("user_provided_name"))).findFirst().orElseThrow();
      assertThat(m).containsEntry("ssl", true).containsEntry("ssl_protocol", "tlsv1.3")
          .containsEntry("peer_host", "198.51.100.20").containsEntry("peer_port", 40100)
          .containsEntry("name", "198.51.100.20:40100 -> 192.0.2.10:5671");
    }
  }

  @Test
  void withoutTrustedSourcesEveryBalancerMaySendTheHeader() throws Exception {
    try (ProxyProtocolRelay relay = new ProxyProtocolRelay(broker.tlsPort(), InetAddress.getByName("127.0.0.2"),
            ProxyProtocolRelay.v1(CLIENT, FRONT));
        Connection c = tls(relay.port()).newConnection()) {
      assertThat(c.isOpen()).isTrue();
    }
  }

  @Test
  void aTlsClientWithoutAHeaderIsRefused() throws Exception {
    assertThatThrownBy(() -> tls(broker.tlsPort()).newConnection()).isInstanceOfAny(IOException.class, SSLException.class);
  }

  @Test
  void thePlainListenerWantsTheHeaderToo() throws Exception {
    ConnectionFactory f = broker.factory();
    f.setHandshakeTimeout(5000);
    assertThatThrownBy(f::newConnection).isInstanceOf(IOException.class);
  }
}
