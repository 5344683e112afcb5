package io.warrenmq.it.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * loopback_users (RabbitMQ's default: guest): such users may log in from a loopback address only.
 * Needs a non-loopback address on this host to connect from; skipped without one.
 */
class LoopbackUsersIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension(Map.of("bind", "0.0.0.0"));

  static String outside;

  @BeforeAll
  static void outsideAddress() throws Exception {
    Optional<InetAddress> a = NetworkInterface.networkInterfaces()
        .filter(i -> {
          try {
            return i.isUp() && !i.isLoopback();
          } catch (java.net.SocketException e) {
            return false;
          }
        })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(x -> x instanceof Inet4Address && !x.isLoopbackAddress() && !x.isLinkLocalAddress())
        .findFirst();
    assumeTrue(a.isPresent(), "no non-loopback IPv4 address on this host");
    outside = a.get().getHostAddress();
    broker.server().broker().addUser("roamer", "pw", List.of());
    broker.server().broker().setPermission("roamer", "/", Permission.ALL);
  }

  ConnectionFactory fromOutside(String user, String password) {
    ConnectionFactory f = broker.factory();
    f.setHost(outside);
    f.setUsername(user);
    f.setPassword(password);
    return f;
  }

  @Test
  void guestFromANonLoopbackAddressIsRefusedWithoutSayingWhy() {
    assertThatThrownBy(() -> fromOutside("guest", "guest").newConnection())
        .isInstanceOf(AuthenticationFailureException.class)
        .hasMessage("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN."
            + " For details see the broker logfile.");
  }

  @Test
  void otherUsersMayConnectFromANonLoopbackAddress() throws Exception {
    try (Connection c = fromOutside("roamer", "pw").newConnection()) {
      assertThat(c.isOpen()).isTrue();
    }
  }

  @Test
  void guestFromLoopbackIsWelcome() throws Exception {
    try (Connection c = broker.factory().newConnection()) {
      assertThat(c.isOpen()).isTrue();
    }
  }
}
