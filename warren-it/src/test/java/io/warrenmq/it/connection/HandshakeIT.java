package io.warrenmq.it.connection;

import static io.warrenmq.it.support.CloseReasons.connectionClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.SaslConfig;
import com.rabbitmq.client.SaslMechanism;
import com.rabbitmq.client.impl.LongStringHelper;
import io.warrenmq.amqp.method.ConnectionClose;
import io.warrenmq.amqp.method.ConnectionStart;
import io.warrenmq.amqp.method.ConnectionStartOk;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.RawAmqp;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The AMQP handshake: protocol header, SASL, virtual host, server properties. */
class HandshakeIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  private static final String REFUSED_PLAIN =
      "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN."
          + " For details see the broker logfile.";

  @BeforeAll
  static void users() {
    var b = broker.server().broker();
    b.addUser("bob", "bob-secret", List.of());
    b.setPermission("bob", "/", Permission.ALL);
    b.addVhost("elsewhere");
  }

  /** The client's own AMQPLAIN: a field table with LOGIN and PASSWORD, sent without its length. */
  static SaslConfig amqplain() {
    return mechanisms -> new SaslMechanism() {
      @Override
      public String getName() {
        return "AMQPLAIN";
      }

      @Override
      public LongString handleChallenge(LongString challenge, String username, String password) {
        return LongStringHelper.asLongString(amqplainTable(username, password));
      }
    };
  }

  static byte[] amqplainTable(String user, String password) {
    try {
      ByteArrayOutputStream table = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(table);
      for (String[] kv : new String[][] {{"LOGIN", user}, {"PASSWORD", password}}) {
        byte[] k = kv[0].getBytes(StandardCharsets.UTF_8);
        byte[] v = kv[1].getBytes(StandardCharsets.UTF_8);
        d.writeByte(k.length);
        d.write(k);
        d.writeByte('S');
        d.writeInt(v.length);
        d.write(v);
      }
      return table.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static ConnectionFactory as(String user, String password) {
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword(password);
    return f;
  }

  @Nested
  class ProtocolHeader {
    @Test
    void anUnsupportedProtocolVersionIsAnsweredWithAmqp0091AndTheSocketIsClosed() throws Exception {
      try (RawAmqp raw = RawAmqp.connect(broker.port())) {
        raw.send(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 0});
        assertThat(raw.readUpTo(16)).containsExactly('A', 'M', 'Q', 'P', 0, 0, 9, 1);
      }
    }

    @Test
    void theAmqp09HeaderIsAcceptedAsRabbitMqDoes() throws Exception {
      try (RawAmqp raw = RawAmqp.connect(broker.port())) {
        raw.send(new byte[] {'A', 'M', 'Q', 'P', 1, 1, 0, 9});
        ConnectionStart start = raw.expect(ConnectionStart.class);
        assertThat(start.versionMajor()).isZero();
        assertThat(start.versionMinor()).isEqualTo(9);
      }
    }

    @Test
    void theBrokerStartsWithVersion09AndOffersPlainAndAmqplain() throws Exception {
      try (RawAmqp raw = RawAmqp.connect(broker.port())) {
        raw.sendProtocolHeader();
        ConnectionStart start = raw.expect(ConnectionStart.class);
        assertThat(start.versionMajor()).isZero();
        assertThat(start.versionMinor()).isEqualTo(9);
        assertThat(start.mechanisms().toString().split(" ")).contains("PLAIN", "AMQPLAIN");
        assertThat(start.locales().toString()).isEqualTo("en_US");
      }
    }
  }

  @Nested
  class Authentication {
    @Test
    void plainWithTheRightPasswordOpensTheConnection() throws Exception {
      try (Connection c = as("bob", "bob-secret").newConnection()) {
        assertThat(c.isOpen()).isTrue();
      }
    }

    @Test
    void amqplainWithTheRightPasswordOpensTheConnection() throws Exception {
      ConnectionFactory f = as("bob", "bob-secret");
      f.setSaslConfig(amqplain());
      try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
        assertThat(ch.queueDeclare().getQueue()).startsWith("amq.gen-");
      }
    }

    @Test
    void aWrongPasswordIsRefusedWith403() {
      Throwable t = catchThrowable(() -> as("bob", "wrong").newConnection());
      assertThat(t).isInstanceOf(AuthenticationFailureException.class).hasMessage(REFUSED_PLAIN);
    }

    @Test
    void anUnknownUserIsRefusedWithTheSameTextAsAWrongPassword() {
      Throwable t = catchThrowable(() -> as("nobody", "bob-secret").newConnection());
      assertThat(t).isInstanceOf(AuthenticationFailureException.class).hasMessage(REFUSED_PLAIN);
    }

    @Test
    void aWrongAmqplainPasswordNamesTheAmqplainMechanism() {
      ConnectionFactory f = as("bob", "wrong");
      f.setSaslConfig(amqplain());
      assertThatThrownBy(f::newConnection)
          .isInstanceOf(AuthenticationFailureException.class)
          .hasMessage("ACCESS_REFUSED - Login was refused using authentication mechanism AMQPLAIN."
              + " For details see the broker logfile.");
    }

    @Test
    void aRefusedLoginIsAConnectionClose403WithoutMethodIds() throws Exception {
      try (RawAmqp raw = RawAmqp.connect(broker.port())) {
        raw.sendProtocolHeader();
        raw.startOk("PLAIN", RawAmqp.plain("bob", "wrong"));
        ConnectionClose close = raw.expect(ConnectionClose.class);
        assertThat(close).isEqualTo(new ConnectionClose(403, REFUSED_PLAIN, 0, 0));
        assertThat(raw.closedByBroker(Duration.ofSeconds(10))).isTrue();
      }
    }

    @Test
    void aClientWithoutAuthenticationFailureCloseOnlySeesTheSocketClose() throws Exception {
      try (RawAmqp raw = RawAmqp.connect(broker.port())) {
        raw.sendProtocolHeader();
        raw.expect(ConnectionStart.class);
        raw.sendMethod(0, new ConnectionStartOk(FieldTable.of(Map.of("product", "old client")), "PLAIN",
            RawAmqp.plain("bob", "wrong"), "en_US"));
        assertThat(raw.readUpTo(64)).isEmpty();
      }
    }

    @Test
    void anUnknownMechanismClosesTheSocketWithoutConnectionClose() throws Exception {
      try (RawAmqp raw = RawAmqp.connect(broker.port())) {
        raw.sendProtocolHeader();
        raw.startOk("CRAM-MD5", RawAmqp.plain("bob", "bob-secret"));
        raw.setReadTimeout(Duration.ofSeconds(10));
        assertThat(raw.readUpTo(64)).isEmpty();
      }
    }

    @Test
    void theBrokerStillServesAfterRefusedLogins() throws Exception {
      for (String wrong : List.of("wrong", "", "bob-secret ")) {
        assertThatThrownBy(() -> as("bob", wrong).newConnection())
            .isInstanceOf(AuthenticationFailureException.class);
      }
      try (Connection c = broker.factory().newConnection()) {
        assertThat(c.isOpen()).isTrue();
      }
    }
  }

  @Nested
  class VirtualHosts {
    @Test
    void aMissingVhostIsRefusedWith530() {
      ConnectionFactory f = broker.factory();
      f.setVirtualHost("nope");
      AMQP.Connection.Close close = connectionClose(catchThrowable(f::newConnection));
      assertThat(close.getReplyCode()).isEqualTo(530);
      assertThat(close.getReplyText()).isEqualTo("NOT_ALLOWED - vhost nope not found");
      assertThat(close.getClassId()).isEqualTo(10);
      assertThat(close.getMethodId()).isEqualTo(40);
    }

    @Test
    void aVhostWithoutPermissionIsRefusedWith530() {
      ConnectionFactory f = as("bob", "bob-secret");
      f.setVirtualHost("elsewhere");
      AMQP.Connection.Close close = connectionClose(catchThrowable(f::newConnection));
      assertThat(close.getReplyCode()).isEqualTo(530);
      assertThat(close.getReplyText())
          .isEqualTo("NOT_ALLOWED - access to vhost 'elsewhere' refused for user 'bob'");
    }

    @Test
    void aVhostWithPermissionOpens() throws Exception {
      broker.server().broker().setPermission("guest", "elsewhere", Permission.ALL);
      ConnectionFactory f = broker.factory();
      f.setVirtualHost("elsewhere");
      try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
        assertThat(ch.isOpen()).isTrue();
      }
    }
  }

  @Nested
  class ServerProperties {
    @Test
    void advertiseRabbitMqCapabilities() throws Exception {
      try (Connection c = broker.factory().newConnection()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> caps = (Map<String, Object>) c.getServerProperties().get("capabilities");
        assertThat(caps).containsEntry("publisher_confirms", true)
            .containsEntry("exchange_exchange_bindings", true)
            .containsEntry("basic.nack", true)
            .containsEntry("consumer_cancel_notify", true)
            .containsEntry("connection.blocked", true)
            .containsEntry("authentication_failure_close", true)
            .containsEntry("per_consumer_qos", true);
      }
    }

    @Test
    void nameTheProductAndItsVersion() throws Exception {
      try (Connection c = broker.factory().newConnection()) {
        Map<String, Object> p = c.getServerProperties();
        assertThat(p.get("product")).hasToString("WarrenMQ");
        assertThat(p).containsKeys("version", "platform", "copyright", "information", "cluster_name");
      }
    }

    /**
     * version is the RabbitMQ release WarrenMQ follows, so clients and suites that gate on it
     * (3.10+, 3.13+ paths) take them; WarrenMQ's own version is warren_version.
     */
    @Test
    void announceRabbitMq3137AsVersionAndWarrenMqsOwnVersionApart() throws Exception {
      try (Connection c = broker.factory().newConnection()) {
        Map<String, Object> p = c.getServerProperties();
        assertThat(p.get("version")).hasToString("3.13.7");
        assertThat(p.get("version")).hasToString(io.warrenmq.broker.Compatibility.RABBITMQ_VERSION);
        assertThat(p.get("warren_version")).hasToString(io.warrenmq.server.Version.get());
      }
    }

    /** RabbitMQ 3.13.7's keys (rabbit_reader, server_properties), every value a longstr. */
    @Test
    void carryRabbitMqsKeysAsLongStrings() throws Exception {
      try (Connection c = broker.factory().newConnection()) {
        Map<String, Object> p = c.getServerProperties();
        assertThat(p).containsOnlyKeys("capabilities", "cluster_name", "copyright", "information", "platform",
            "product", "version", "warren_version");
        p.forEach((k, v) -> {
          if (!k.equals("capabilities")) {
            assertThat(v).as(k).isInstanceOf(LongString.class);
          }
        });
      }
    }

    /** RabbitMQ 3.13.7's server_capabilities: nine booleans, consumer_priorities among them. */
    @Test
    void advertiseExactlyRabbitMq3137sCapabilities() throws Exception {
      try (Connection c = broker.factory().newConnection()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> caps = (Map<String, Object>) c.getServerProperties().get("capabilities");
        assertThat(caps).containsOnlyKeys("publisher_confirms", "exchange_exchange_bindings", "basic.nack",
            "consumer_cancel_notify", "connection.blocked", "consumer_priorities", "authentication_failure_close",
            "per_consumer_qos", "direct_reply_to");
        assertThat(caps.values()).allMatch(Boolean.TRUE::equals);
      }
    }
  }
}
