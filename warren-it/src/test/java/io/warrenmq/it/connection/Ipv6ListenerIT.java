package io.warrenmq.it.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.server.WarrenServer;
import io.warrenmq.server.config.ConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IPv6 listeners: by default the broker listens on 127.0.0.1 and ::1 (RabbitMQ listens on both
 * families), all on one port; {@code bind} takes a list; an address that cannot be bound stops the
 * start naming it. Needs an IPv6 loopback address on this host (skipped without one).
 */
class Ipv6ListenerIT {
  static Path dir;
  static WarrenServer defaults;
  final List<WarrenServer> others = new ArrayList<>();

  @BeforeAll
  static void startWithTheDefaultBind() throws Exception {
    assumeTrue(NetworkInterface.getByInetAddress(InetAddress.getByName("::1")) != null,
        "no IPv6 loopback address on this host");
    dir = Files.createTempDirectory("warren-it-ipv6-");
    defaults = start("defaults"); // no bind given: the default list
  }

  @AfterAll
  static void stop() throws IOException {
    if (defaults != null) {
      defaults.close();
    }
    if (dir != null) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @AfterEach
  void stopOthers() throws IOException {
    for (WarrenServer s : others) {
      s.close();
    }
  }

  static WarrenServer start(String name, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--management-port", "0", "--prometheus-port", "0", "--data-dir", dir.resolve(name).toString()));
    args.addAll(List.of(extra));
    return WarrenServer.start(ConfigLoader.load(args.toArray(String[]::new), Map.of()));
  }

  static ConnectionFactory factory(String host, int port) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(host);
    f.setPort(port);
    f.setUsername("guest");
    f.setPassword("guest");
    f.setAutomaticRecoveryEnabled(false);
    f.setRequestedHeartbeat(0);
    return f;
  }

  static void assertServes(String host, int port) throws Exception {
    try (Connection c = factory(host, port).newConnection(); Channel ch = c.createChannel()) {
      assertThat(ch.queueDeclare().getQueue()).as("via %s", host).startsWith("amq.gen-");
    }
  }

  @Test
  void byDefaultTheBrokerListensOnIpv4AndIpv6LoopbackOnOnePort() throws Exception {
    assertServes("127.0.0.1", defaults.port());
    assertServes("::1", defaults.port());
  }

  /** guest may only connect over loopback: ::1 is loopback (rabbit_net:is_loopback). */
  @Test
  void guestMayLogInOverIpv6Loopback() throws Exception {
    try (Connection c = factory("::1", defaults.port()).newConnection()) {
      assertThat(c.isOpen()).isTrue();
    }
  }

  /** RabbitMQ's connection name (rabbit_net:connection_string, rabbit_misc:ntoab). */
  @Test
  void anIpv6ConnectionIsNamedWithBracketedAddresses() throws Exception {
    try (Connection c = factory("::1", defaults.port()).newConnection()) {
      assertThat(defaults.broker().connections().list()).extracting(ConnectionView::name)
          .anyMatch(n -> n.matches("\\[::1]:\\d+ -> \\[::1]:" + defaults.port()));
    }
  }

  @Test
  void bindTakesAListAndBothWildcardsShareOnePort() throws Exception {
    WarrenServer s = start("wildcards", "--bind", "0.0.0.0,::");
    others.add(s);
    assertServes("127.0.0.1", s.port());
    assertServes("::1", s.port());
  }

  @Test
  void anExplicitListOfLoopbacksIsServedOnOnePort() throws Exception {
    WarrenServer s = start("explicit", "--bind", "::1, 127.0.0.1");
    others.add(s);
    assertServes("::1", s.port());
    assertServes("127.0.0.1", s.port());
  }

  /** 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this host. */
  @Test
  void anAddressThatCannotBeBoundStopsTheStartAndIsNamed() {
    assertThatThrownBy(() -> others.add(start("unbindable", "--bind", "127.0.0.1,192.0.2.1")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot listen on 192.0.2.1:");
  }
}
