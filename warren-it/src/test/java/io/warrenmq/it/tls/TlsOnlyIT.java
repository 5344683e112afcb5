package io.warrenmq.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.server.config.ConfigLoader;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code listeners.tcp = none} (RabbitMQ's key): a broker reached over AMQPS only. The plain port
 * is not listened on, clients connect over TLS; the key without an AMQPS listener, or with another
 * value, stops the start naming it.
 */
class TlsOnlyIT {
  static final TestCerts certs = TestCerts.create();

  private static Map<String, String> tlsOnly() {
    Map<String, String> m = new HashMap<>(certs.mutualTlsSettings());
    m.put("listeners.tcp", "none");
    return m;
  }

  @RegisterExtension static final BrokerExtension broker = new BrokerExtension(tlsOnly());

  @Test
  void onlyTheTlsListenerTakesClients() throws Exception {
    assertThat(broker.port()).as("no plain listener").isEqualTo(-1);
    ConnectionFactory f = broker.factory();
    f.setPort(broker.tlsPort());
    f.useSslProtocol(certs.clientContext(certs.client("guest"), "TLSv1.3"));
    f.setHost("localhost");
    try (Connection c = f.newConnection()) {
      Channel ch = c.createChannel();
      String q = ch.queueDeclare().getQueue();
      ch.basicPublish("", q, null, "over TLS".getBytes());
      assertThat(new String(ch.basicGet(q, true).getBody())).isEqualTo("over TLS");
    }
  }

  @Test
  void noneWithoutAnAmqpsListenerOrAnotherValueStopsTheStart() {
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--tcp-listeners", "none"}, Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageContaining("'listeners.tcp' is none but no AMQPS listener is set");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--tcp-listeners", "5672"}, Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageContaining("'listeners.tcp' takes only none");
  }
}
