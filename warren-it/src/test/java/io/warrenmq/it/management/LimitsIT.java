package io.warrenmq.it.management;

import static io.warrenmq.it.support.CloseReasons.channelClose;
import static io.warrenmq.it.support.CloseReasons.codeAndText;
import static io.warrenmq.it.support.CloseReasons.connectionClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Vhost limits (max-connections, max-queues) and user limits (max-connections, max-channels):
 * set over the API ({@code /api/vhost-limits}, {@code /api/user-limits}) and warrenctl
 * (set_vhost_limits, set_user_limits, ...), kept across restarts, and enforced over AMQP with
 * RabbitMQ 3.13.7's refusals: 530 at connection.open and channel.open, 406 at queue.declare.
 */
class LimitsIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  private static ManagementHttp admin;

  @BeforeAll
  static void setUp() {
    var b = broker.server().broker();
    for (String v : List.of("lc", "lq", "lctl")) {
      b.addVhost(v);
      b.setPermission("guest", v, io.warrenmq.broker.auth.Permission.ALL);
    }
    for (String u : List.of("capped", "chans", "viewer")) {
      b.addUser(u, "pw", u.equals("viewer") ? List.of("management") : List.of());
      b.setPermission(u, "/", io.warrenmq.broker.auth.Permission.ALL);
    }
    admin = ManagementHttp.guest(broker);
  }

  private static ConnectionFactory factory(String user, String vhost) {
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword(user.equals("guest") ? "guest" : "pw");
    f.setVirtualHost(vhost);
    return f;
  }

  @Test
  void aVhostAtItsMaxConnectionsRefusesConnectionOpenWith530() throws Exception {
    assertThat(admin.put("/api/vhost-limits/lc/max-connections", Map.of("value", 2)).status()).isEqualTo(204);
    List<Connection> open = new ArrayList<>();
    try {
      open.add(factory("guest", "lc").newConnection());
      open.add(factory("guest", "lc").newConnection());
      Throwable refused = catchThrowable(() -> factory("guest", "lc").newConnection());
      assertThat(codeAndText(connectionClose(refused))).isEqualTo(
          "530 NOT_ALLOWED - access to vhost 'lc' refused for user 'guest': connection limit (2) is reached");
      open.removeFirst().close();
      open.add(factory("guest", "lc").newConnection());
    } finally {
      for (Connection c : open) {
        c.close();
      }
    }
    assertThat(admin.delete("/api/vhost-limits/lc/max-connections").status()).isEqualTo(204);
    factory("guest", "lc").newConnection().close();
  }

  @Test
  void aLimitOfZeroRefusesEveryConnection() {
    admin.put("/api/vhost-limits/lctl/max-connections", Map.of("value", 0));
    try {
      Throwable refused = catchThrowable(() -> factory("guest", "lctl").newConnection());
      assertThat(connectionClose(refused).getReplyText()).endsWith("connection limit (0) is reached");
    } finally {
      admin.delete("/api/vhost-limits/lctl/max-connections");
    }
  }

  @Test
  void aVhostAtItsMaxQueuesRefusesANewQueueWith406ButNotARedeclaration() throws Exception {
    admin.put("/api/vhost-limits/lq/max-queues", Map.of("value", 1));
    try (Connection c = factory("guest", "lq").newConnection()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("lq-1", false, false, false, null);
      ch.queueDeclare("lq-1", false, false, false, null);
      Throwable refused = catchThrowable(() -> ch.queueDeclare("lq-2", false, false, false, null));
      assertThat(codeAndText(channelClose(refused))).isEqualTo(
          "406 PRECONDITION_FAILED - cannot declare queue 'lq-2': queue limit in vhost 'lq' (1) is reached");
      Channel ch2 = c.createChannel();
      Throwable serverNamed = catchThrowable(ch2::queueDeclare);
      assertThat(channelClose(serverNamed).getReplyText()).contains("queue limit in vhost 'lq' (1) is reached");
      // the management API's declarations hit the same check
      assertThat(broker.server().broker().vhost("lq").queues()).hasSize(1);
    } finally {
      admin.delete("/api/vhost-limits/lq/max-queues");
    }
  }

  @Test
  void aUserAtItsMaxConnectionsIsRefusedAfterTheVhostsLimit() throws Exception {
    assertThat(admin.put("/api/user-limits/capped/max-connections", Map.of("value", 1)).status()).isEqualTo(204);
    try (Connection first = factory("capped", "/").newConnection()) {
      assertThat(first.isOpen()).isTrue();
      Throwable refused = catchThrowable(() -> factory("capped", "/").newConnection());
      assertThat(codeAndText(connectionClose(refused))).isEqualTo(
          "530 NOT_ALLOWED - connection refused for user 'capped': user connection limit (1) is reached");
      // other users are not limited
      factory("guest", "/").newConnection().close();
    }
    factory("capped", "/").newConnection().close();
    admin.delete("/api/user-limits/capped/max-connections");
  }

  @Test
  void aUserAtItsMaxChannelsOverAllItsConnectionsIsRefusedWith530() throws Exception {
    admin.put("/api/user-limits/chans/max-channels", Map.of("value", 2));
    try (Connection b = factory("chans", "/").newConnection()) {
      Connection a = factory("chans", "/").newConnection();
      a.createChannel();
      b.createChannel();
      Throwable refused = catchThrowable(a::createChannel);
      // RabbitMQ 3.13.7 formats this text with the node's name where the user's belongs
      assertThat(codeAndText(connectionClose(refused))).isEqualTo("530 NOT_ALLOWED - number of channels opened for "
          + "user '" + broker.server().broker().pids().node() + "' has reached the maximum allowed user limit of (2)");
      assertThat(a.isOpen()).isFalse();
      assertThat(b.isOpen()).isTrue();
    } finally {
      admin.delete("/api/user-limits/chans/max-channels");
    }
  }

  @Test
  void theLimitsResourcesListSetAndRefuseAsRabbitMq() {
    admin.put("/api/vhost-limits/lc/max-queues", Map.of("value", 10));
    assertThat(admin.get("/api/vhost-limits").jsonList()).contains(Map.of("vhost", "lc", "value", Map.of("max-queues", 10)));
    assertThat(admin.get("/api/vhost-limits/lc").jsonList()).containsExactly(Map.of("vhost", "lc",
        "value", Map.of("max-queues", 10)));
    assertThat(admin.get("/api/vhost-limits/nope").status()).isEqualTo(404);
    Reply bad = admin.put("/api/vhost-limits/lc/max-foo", Map.of("value", 5));
    assertThat(bad.json()).containsEntry("reason", "Validation failed\n\nUnrecognised terms [{<<\"max-foo\">>,5}] in limits\n");
    Reply nan = admin.put("/api/vhost-limits/lc/max-queues", Map.of("value", "a"));
    assertThat(nan.json()).containsEntry("reason",
        "Validation failed\n\nmax-queues should be a number, actually was <<\"a\">>\n");
    assertThat(admin.put("/api/vhost-limits/nope/max-queues", Map.of("value", 1)).json())
        .containsEntry("reason", "vhost_not_found");
    admin.delete("/api/vhost-limits/lc/max-queues");

    admin.put("/api/user-limits/viewer/max-channels", Map.of("value", 7));
    assertThat(admin.get("/api/user-limits").jsonList()).contains(Map.of("user", "viewer", "value", Map.of("max-channels", 7)));
    assertThat(admin.get("/api/user-limits/viewer").jsonList()).containsExactly(Map.of("user", "viewer",
        "value", Map.of("max-channels", 7)));
    assertThat(admin.get("/api/user-limits/guest").jsonList()).isEmpty();
    assertThat(admin.get("/api/user-limits/nobody").status()).isEqualTo(404);
    assertThat(admin.put("/api/user-limits/viewer/max-x", Map.of("value", 1)).json())
        .containsEntry("reason", "Unrecognised terms [{<<\"max-x\">>,1}] in user-limits");
    assertThat(admin.delete("/api/user-limits/viewer/max-channels").status()).isEqualTo(204);
    assertThat(admin.get("/api/user-limits/viewer").jsonList()).isEmpty();
  }

  @Test
  void settingLimitsIsForAdministratorsAndListingThemForEveryManagementUser() {
    ManagementHttp viewer = ManagementHttp.as(broker, "viewer", "pw");
    assertThat(viewer.put("/api/vhost-limits/%2F/max-queues", Map.of("value", 1)).json())
        .containsEntry("reason", "Not administrator user");
    assertThat(viewer.put("/api/user-limits/viewer/max-channels", Map.of("value", 1)).status()).isEqualTo(401);
    assertThat(viewer.get("/api/user-limits").status()).isEqualTo(200);
    // vhost limits of a vhost the user does not see are refused
    assertThat(viewer.get("/api/vhost-limits/lc").json()).containsEntry("reason", "User not authorised to access virtual host");
  }

  @Test
  void warrenctlSetsListsAndClearsLimitsAsRabbitmqctl() {
    Warrenctl.Run set = Warrenctl.run(broker, "set_vhost_limits", "-p", "lctl", "{\"max-connections\": 10, \"max-queues\": 3}");
    assertThat(set.code()).isZero();
    assertThat(set.out()).isEqualTo(
        "Setting vhost limits to \"{\"max-connections\": 10, \"max-queues\": 3}\" for vhost \"lctl\" ...\n");
    assertThat(Warrenctl.run(broker, "list_vhost_limits", "-p", "lctl").out())
        .isEqualTo("Listing limits for vhost \"lctl\" ...\n{\"max-connections\":10,\"max-queues\":3}\n");
    assertThat(Warrenctl.run(broker, "-q", "list_vhost_limits", "--global").out())
        .contains("vhost\tlimits\n").contains("lctl\t{\"max-connections\":10,\"max-queues\":3}\n");
    assertThat(broker.server().broker().vhost("lctl").limits().get("max-queues")).isEqualTo(3);
    Warrenctl.Run bad = Warrenctl.run(broker, "set_vhost_limits", "-p", "lctl", "{\"max-foo\": 1}");
    assertThat(bad.code()).isEqualTo(69);
    // the banner comes first, as rabbitmqctl prints it before it runs the command
    assertThat(bad.err()).startsWith("Setting vhost limits")
        .endsWith("Error:\nValidation failed\n\nUnrecognised terms [{<<\"max-foo\">>,1}] in limits\n");
    assertThat(Warrenctl.run(broker, "set_vhost_limits", "-p", "nope", "{}").err())
        .endsWith("\nVirtual host 'nope' does not exist\n");
    assertThat(Warrenctl.run(broker, "clear_vhost_limits", "-p", "lctl").out()).isEqualTo("Clearing vhost \"lctl\" limits ...\n");
    Warrenctl.Run again = Warrenctl.run(broker, "clear_vhost_limits", "-p", "lctl");
    assertThat(again.code()).isEqualTo(69);
    assertThat(again.err()).endsWith(" ...\nError:\nParameter does not exist\n");

    assertThat(Warrenctl.run(broker, "set_user_limits", "viewer", "{\"max-connections\": 2, \"max-channels\": 3}").out())
        .isEqualTo("Setting user limits to \"{\"max-connections\": 2, \"max-channels\": 3}\" for user \"viewer\" ...\n");
    assertThat(Warrenctl.run(broker, "list_user_limits", "--user", "viewer").out())
        .isEqualTo("Listing limits for user \"viewer\" ...\n{\"max-channels\":3,\"max-connections\":2}\n");
    assertThat(Warrenctl.run(broker, "-q", "list_user_limits").out()).isEqualTo("{}\n");
    assertThat(Warrenctl.run(broker, "list_user_limits", "--global").out())
        .contains("user\tlimits\n").contains("viewer\t{\"max-channels\":3,\"max-connections\":2}\n");
    assertThat(Warrenctl.run(broker, "clear_user_limits", "viewer", "max-channels").out())
        .isEqualTo("Clearing \"max-channels\" limit for user \"viewer\" ...\n");
    assertThat(Warrenctl.run(broker, "-q", "list_user_limits", "--user", "viewer").out()).isEqualTo("{\"max-connections\":2}\n");
    assertThat(Warrenctl.run(broker, "clear_user_limits", "viewer", "all").out())
        .isEqualTo("Clearing all limits for user \"viewer\" ...\n");
    Warrenctl.Run nobody = Warrenctl.run(broker, "set_user_limits", "nobody", "{\"max-channels\": 1}");
    assertThat(nobody.code()).isEqualTo(69);
    assertThat(nobody.err()).endsWith(" ...\nError:\n{:no_such_user, \"nobody\"}\n");
  }

  @Test
  void limitsSurviveARestart() throws Exception {
    admin.put("/api/vhost-limits/lq/max-queues", Map.of("value", 5));
    admin.put("/api/user-limits/capped/max-channels", Map.of("value", 5));
    broker.restart();
    admin = ManagementHttp.guest(broker);
    assertThat(broker.server().broker().vhost("lq").limits().get("max-queues")).isEqualTo(5);
    assertThat(admin.get("/api/user-limits/capped").jsonList()).containsExactly(Map.of("user", "capped",
        "value", Map.of("max-channels", 5)));
    admin.delete("/api/vhost-limits/lq/max-queues");
    admin.delete("/api/user-limits/capped/max-channels");
  }
}
