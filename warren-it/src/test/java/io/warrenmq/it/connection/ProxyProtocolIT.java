package io.warrenmq.it.connection;

import static io.warrenmq.it.support.ProxyProtocolRelay.v1;
import static io.warrenmq.it.support.ProxyProtocolRelay.v2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ProxyProtocolRelay;
import io.warrenmq.it.support.WarrenctlScript;
import io.warrenmq.server.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_protocol = true} behind a load balancer (a {@link ProxyProtocolRelay}): the PROXY
 * header's source is the connection's peer in its name, the management API and warrenctl, and is
 * the address loopback_users judges; a v2 LOCAL header keeps the balancer's own address; a
 * connection without a header, with a bad one, with none in time or from outside
 * {@code proxy_protocol.trusted_sources} is refused; a bad value stops the start.
 */
class ProxyProtocolIT {
  @RegisterExtension
  static final BrokerExtension broker = BrokerExtension.withManagement(Map.of(
      "proxy_protocol", "true",
      "proxy_protocol.trusted_sources", "127.0.0.1/32",
      "handshake_timeout", "2000"));

  @TempDir Path dir;

  /** A client address that is not loopback (TEST-NET-3), as a client across the network. */
  private static final InetSocketAddress REMOTE_CLIENT = new InetSocketAddress("203.0.113.7", 40001);
  private static final InetSocketAddress BALANCER = new InetSocketAddress("192.0.2.10", 5672);

  @BeforeAll
  static void users() {
    broker.server().broker().addUser("roamer", "pw", List.of());
    broker.server().broker().setPermission("roamer", "/", Permission.ALL);
  }

  private static ConnectionFactory through(ProxyProtocolRelay relay, String user) {
    ConnectionFactory f = broker.factory();
    f.setPort(relay.port());
    f.setUsername(user);
    f.setPassword(user.equals("guest") ? "guest" : "pw");
    return f;
  }

  private static Map<String, Object> apiConnection(String userProvidedName) {
    return ManagementHttp.guest(broker).get("/api/connections").jsonList().stream()
        .filter(c -> userProvidedName.equals(c.get("user_provided_name"))).findFirst().orElseThrow();
  }

  /** Whether the broker closes {@code s} (read sees the end) within the socket's timeout. */
  private static boolean closedByTheBroker(Socket s) throws IOException {
    s.setSoTimeout(15_000);
    InputStream in = s.getInputStream();
    try {
      return in.read() < 0;
    } catch (java.net.SocketException reset) {
      return true; // the broker closed with our bytes unread: a reset
    }
  }

  @Test
  void aV1HeadersSourceIsThePeerInTheConnectionNameTheApiAndWarrenctl() throws Exception {
    try (ProxyProtocolRelay relay = new ProxyProtocolRelay(broker.port(), v1(REMOTE_CLIENT, BALANCER));
        Connection c = through(relay, "roamer").newConnection("pp-v1")) {
      Map<String, Object> m = apiConnection("pp-v1");
      assertThat(m).containsEntry("name", "203.0.113.7:40001 -> 192.0.2.10:5672")
          .containsEntry("peer_host", "203.0.113.7").containsEntry("peer_port", 40001)
          .containsEntry("host", "192.0.2.10").containsEntry("port", 5672).containsEntry("user", "roamer");
      WarrenctlScript.Result r = WarrenctlScript.run(broker, "list_connections", "name", "peer_host", "peer_port", "user");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.rows()).contains(List.of("203.0.113.7:40001 -> 192.0.2.10:5672", "203.0.113.7", "40001", "roamer"));
    }
  }

  @Test
  void aV2HeaderOverIpv6CarriesTheClientAndTheBytesAfterIt() throws Exception {
    InetSocketAddress client = new InetSocketAddress("2001:db8::7", 40002);
    InetSocketAddress front = new InetSocketAddress("2001:db8::1", 5672);
    try (ProxyProtocolRelay relay = new ProxyProtocolRelay(broker.port(), v2(client, front));
        Connection c = through(relay, "roamer").newConnection("pp-v2");
        Channel ch = c.createChannel()) {
      String q = ch.queueDeclare().getQueue();
      ch.basicPublish("", q, null, "through the balancer".getBytes(StandardCharsets.UTF_8));
      GetResponse g = ch.basicGet(q, true);
      assertThat(new String(g.getBody(), StandardCharsets.UTF_8)).isEqualTo("through the balancer");
      assertThat(apiConnection("pp-v2")).containsEntry("name", "[2001:db8::7]:40002 -> [2001:db8::1]:5672")
          .containsEntry("peer_host", "2001:db8::7").containsEntry("peer_port", 40002).containsEntry("host", "2001:db8::1");
    }
  }

  @Test
  void aV2LocalHeaderKeepsTheBalancersOwnAddress() throws Exception {
    try (ProxyProtocolRelay relay = new ProxyProtocolRelay(broker.port(), ProxyProtocolRelay.v2Local());
        Connection c = through(relay, "guest").newConnection("pp-local")) {
      Map<String, Object> m = apiConnection("pp-local");
      assertThat(m).containsEntry("peer_host", "127.0.0.1").containsEntry("host", "127.0.0.1")
          .containsEntry("port", broker.port());
      assertThat((String) m.get("name")).endsWith(" -> 127.0.0.1:" + broker.port());
    }
  }

  @Test
  void guestThroughANonLoopbackSourceIsRefusedAsLoopbackUsersRequires() throws Exception {
    try (ProxyProtocolRelay relay = new ProxyProtocolRelay(broker.port(), v1(REMOTE_CLIENT, BALANCER))) {
      assertThatThrownBy(() -> through(relay, "guest").newConnection())
          .isInstanceOf(AuthenticationFailureException.class)
          .hasMessage("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN."
              + " For details see the broker logfile.");
    }
    InetSocketAddress local = new InetSocketAddress("127.0.0.1", 40003);
    try (ProxyProtocolRelay relay = new ProxyProtocolRelay(broker.port(), v2(local, new InetSocketAddress("127.0.0.1", 5672)));
        Connection c = through(relay, "guest").newConnection()) {
      assertThat(c.isOpen()).as("a proxied loopback source is welcome").isTrue();
    }
  }

  @Test
  void aClientWithoutAHeaderIsRefusedAndTheOthersGoOn() throws Exception {
    ConnectionFactory direct = broker.factory();
    direct.setHandshakeTimeout(5000);
    assertThatThrownBy(direct::newConnection).isInstanceOf(IOException.class);
    try (ProxyProtocolRelay relay = new ProxyProtocolRelay(broker.port(), v1(REMOTE_CLIENT, BALANCER));
        Connection c = through(relay, "roamer").newConnection()) {
      assertThat(c.isOpen()).isTrue();
    }
  }

  @Test
  void aMalformedHeaderIsRefused() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), broker.port())) {
      s.getOutputStream().write("PROXY TCP4 999.0.0.1 10.0.0.1 1 2\r\nAMQP\0\0\11\1".getBytes(StandardCharsets.US_ASCII));
      assertThat(closedByTheBroker(s)).isTrue();
    }
  }

  @Test
  void aHeaderThatDoesNotArriveWithinTheHandshakeTimeoutIsRefused() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), broker.port())) {
      s.getOutputStream().write("PROXY TCP4 ".getBytes(StandardCharsets.US_ASCII));
      assertThat(closedByTheBroker(s)).as("closed after handshake_timeout (2 s), before our 15 s").isTrue();
    }
  }

  @Test
  void aBalancerOutsideTheTrustedSourcesIsRefusedEvenWithAGoodHeader() throws Exception {
    InetAddress untrusted = InetAddress.getByName("127.0.0.2");
    try (ProxyProtocolRelay relay = new ProxyProtocolRelay(broker.port(), untrusted, v1(REMOTE_CLIENT, BALANCER))) {
      ConnectionFactory f = through(relay, "roamer");
      f.setHandshakeTimeout(5000);
      assertThatThrownBy(f::newConnection).isInstanceOf(IOException.class);
    }
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(untrusted, 0));
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), broker.port()));
      assertThat(closedByTheBroker(s)).as("refused before it sends anything").isTrue();
    }
  }

  @Test
  void aBadValueStopsTheStartNamingTheKeyAndTheReason() throws Exception {
    Path conf = Files.writeString(dir.resolve("warren.conf"), """
        proxy_protocol = true
        proxy_protocol.trusted_sources.1 = 10.0.0.0/8
        proxy_protocol.trusted_sources.2 = 10.0.0.0/33
        """);
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", conf.toString()}, Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessage("configuration key 'proxy_protocol.trusted_sources' must list IP addresses or CIDR ranges"
            + " (10.0.0.0/8, fd00::/8), got '10.0.0.0/33': the prefix length must be between 0 and 32, got 33");
    Path on = Files.writeString(dir.resolve("on.conf"), "proxy_protocol = on\n");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", on.toString()}, Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessage("configuration key 'proxy_protocol' must be true or false, got 'on'");
  }
}
