package io.warrenmq.it.management;

import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.ManagementHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections, channels and consumers as RabbitMQ 3.13.7's management API shows them, read from
 * the broker's views; who sees what (own objects, everyone's for monitoring users); closing a
 * connection with 320 and the X-Reason text.
 */
class ConnectionsApiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();

  private static ManagementHttp guest() {
    return ManagementHttp.guest(broker);
  }

  @BeforeAll
  static void users() {
    var b = broker.server().broker();
    b.addUser("alice", "pw", List.of("management"));
    b.setPermission("alice", "/", Permission.ALL);
    b.addUser("watcher", "pw", List.of("monitoring"));
  }

  private static Connection open(String user, String name) throws Exception {
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword(user.equals("guest") ? "guest" : "pw");
    Map<String, Object> props = new HashMap<>(f.getClientProperties());
    props.put("nested", Map.of("a", 1));
    f.setClientProperties(props);
    return f.newConnection(name);
  }

  private static Map<String, Object> connectionNamed(ManagementHttp http, String userProvidedName) {
    return http.get("/api/connections").jsonList().stream()
        .filter(c -> userProvidedName.equals(c.get("user_provided_name"))).findFirst().orElseThrow();
  }

  @Test
  void aConnectionHasTheFieldsRabbitmqadminAndTheUiRead() throws Exception {
    try (Connection c = open("guest", "fields-conn")) {
      c.createChannel();
      Map<String, Object> m = connectionNamed(guest(), "fields-conn");
      assertThat(m).containsEntry("user", "guest").containsEntry("vhost", "/").containsEntry("peer_host", "127.0.0.1")
          .containsEntry("host", "127.0.0.1").containsEntry("port", broker.port()).containsEntry("state", "running")
          .containsEntry("protocol", "AMQP 0-9-1").containsEntry("auth_mechanism", "PLAIN").containsEntry("ssl", false)
          .containsEntry("channels", 1).containsEntry("type", "network").containsEntry("timeout", 60)
          .containsEntry("node", broker.server().broker().pids().node()).containsKeys("peer_port", "connected_at",
              "frame_max", "channel_max", "recv_oct", "send_oct", "recv_cnt", "send_cnt", "send_pend");
      @SuppressWarnings("unchecked")
      Map<String, Object> cp = (Map<String, Object>) m.get("client_properties");
      assertThat(cp).containsEntry("connection_name", "fields-conn").containsEntry("nested", Map.of("a", 1))
          .containsKey("capabilities");
      assertThat(m.get("name")).isEqualTo("127.0.0.1:" + m.get("peer_port") + " -> 127.0.0.1:" + broker.port());
      Reply one = guest().get("/api/connections/" + enc((String) m.get("name")));
      assertThat(one.json()).containsEntry("user_provided_name", "fields-conn");
    }
  }

  @Test
  void channelsAndConsumersHaveTheirFields() throws Exception {
    try (Connection c = open("guest", "chan-conn")) {
      Channel ch = c.createChannel();
      ch.basicQos(5);
      ch.confirmSelect();
      String q = ch.queueDeclare().getQueue();
      ch.basicConsume(q, false, "ctag-x", new DefaultConsumer(ch));
      String conn = (String) connectionNamed(guest(), "chan-conn").get("name");
      String name = conn + " (1)";
      Map<String, Object> chan = guest().get("/api/channels/" + enc(name)).json();
      assertThat(chan).containsEntry("name", name).containsEntry("number", 1).containsEntry("user", "guest")
          .containsEntry("vhost", "/").containsEntry("prefetch_count", 5).containsEntry("global_prefetch_count", 0)
          .containsEntry("confirm", true).containsEntry("transactional", false).containsEntry("consumer_count", 1)
          .containsEntry("messages_unacknowledged", 0).containsEntry("messages_unconfirmed", 0)
          .containsEntry("state", "running");
      assertThat(chan.get("connection_details")).isEqualTo(Map.of("name", conn, "peer_host", "127.0.0.1",
          "peer_port", connectionNamed(guest(), "chan-conn").get("peer_port")));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> details = (List<Map<String, Object>>) chan.get("consumer_details");
      assertThat(details).singleElement().satisfies(d -> assertThat(d).containsEntry("consumer_tag", "ctag-x"));
      assertThat(guest().get("/api/connections/" + enc(conn) + "/channels").jsonList()).singleElement()
          .satisfies(x -> assertThat(x).containsEntry("name", name));
      assertThat(guest().get("/api/vhosts/%2F/channels").jsonList()).extracting(x -> x.get("name")).contains(name);
      Map<String, Object> consumer = guest().get("/api/consumers/%2F").jsonList().stream()
          .filter(x -> x.get("consumer_tag").equals("ctag-x")).findFirst().orElseThrow();
      assertThat(consumer).containsEntry("queue", Map.of("name", q, "vhost", "/")).containsEntry("ack_required", true)
          .containsEntry("prefetch_count", 5).containsEntry("activity_status", "up").containsEntry("arguments", Map.of());
      @SuppressWarnings("unchecked")
      Map<String, Object> cd = (Map<String, Object>) consumer.get("channel_details");
      assertThat(cd).containsEntry("name", name).containsEntry("connection_name", conn).containsEntry("number", 1)
          .containsEntry("user", "guest");
    }
  }

  @Test
  void deleteClosesTheConnectionWith320AndTheXReasonText() throws Exception {
    Connection c = open("guest", "to-close");
    CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
    c.addShutdownListener(closed::complete);
    String name = (String) connectionNamed(guest(), "to-close").get("name");
    Reply r = guest().send("DELETE", "/api/connections/" + enc(name), null, "X-Reason", "maintenance window");
    assertThat(r.status()).isEqualTo(204);
    ShutdownSignalException e = closed.get(10, TimeUnit.SECONDS);
    assertThat(e.getReason().toString()).contains("reply-code=320")
        .contains("reply-text=CONNECTION_FORCED - maintenance window");
  }

  @Test
  void withoutAReasonTheTextIsRabbitMqsDefault() throws Exception {
    Connection c = open("guest", "to-close-2");
    CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
    c.addShutdownListener(closed::complete);
    String name = (String) connectionNamed(guest(), "to-close-2").get("name");
    guest().delete("/api/connections/" + enc(name));
    assertThat(closed.get(10, TimeUnit.SECONDS).getReason().toString())
        .contains("reply-text=CONNECTION_FORCED - Closed via management plugin");
  }

  @Test
  void aManagementUserSeesOnlyItsOwnAndAMonitorSeesAllButClosesOnlyItsOwn() throws Exception {
    try (Connection a = open("alice", "alice-conn"); Connection g = open("guest", "guest-conn")) {
      a.createChannel();
      g.createChannel();
      ManagementHttp alice = ManagementHttp.as(broker, "alice", "pw");
      ManagementHttp watcher = ManagementHttp.as(broker, "watcher", "pw");
      assertThat(alice.get("/api/connections").jsonList()).extracting(c -> c.get("user")).containsOnly("alice");
      assertThat(alice.get("/api/channels").jsonList()).extracting(c -> c.get("user")).containsOnly("alice");
      assertThat(watcher.get("/api/connections").jsonList()).extracting(c -> c.get("user")).contains("alice", "guest");
      String guestConn = (String) connectionNamed(guest(), "guest-conn").get("name");
      assertThat(alice.get("/api/connections/" + enc(guestConn)).json())
          .containsEntry("reason", "User not authorised to access object");
      assertThat(watcher.get("/api/connections/" + enc(guestConn)).status()).isEqualTo(200);
      assertThat(watcher.delete("/api/connections/" + enc(guestConn)).status()).isEqualTo(401);
      assertThat(g.isOpen()).isTrue();
      assertThat(alice.get("/api/connections/username/guest").status()).isEqualTo(401);
      assertThat(alice.get("/api/connections/username/alice").jsonList()).singleElement()
          .satisfies(t -> assertThat(t.keySet()).containsExactly("name", "vhost", "user", "node"));
    }
  }

  @Test
  void theUsersConnectionsCanBeClosedTogether() throws Exception {
    Connection a1 = open("alice", "a1");
    Connection a2 = open("alice", "a2");
    Reply r = ManagementHttp.as(broker, "alice", "pw").delete("/api/connections/username/alice");
    assertThat(r.status()).isEqualTo(204);
    eventually("alice's connections closed", () -> !a1.isOpen() && !a2.isOpen());
  }

  @Test
  void unknownObjectsAre404ForEveryone() {
    assertThat(guest().get("/api/connections/nope").status()).isEqualTo(404);
    assertThat(ManagementHttp.as(broker, "alice", "pw").get("/api/connections/nope").status()).isEqualTo(404);
    assertThat(guest().get("/api/connections/nope/channels").status()).isEqualTo(404);
    assertThat(guest().get("/api/channels/nope").status()).isEqualTo(404);
    assertThat(guest().get("/api/vhosts/nov/connections").status()).isEqualTo(404);
    assertThat(guest().get("/api/vhosts/nov/channels").status()).isEqualTo(404);
    assertThat(guest().get("/api/consumers/nov").status()).isEqualTo(404);
    assertThat(guest().get("/api/connections/username/nobody").jsonList()).isEmpty();
  }

  @Test
  void withDisableStatsChannelsAreRefusedAndConnectionsAreTrackedOnes() throws Exception {
    try (Connection c = open("guest", "tracked")) {
      assertThat(guest().get("/api/channels?disable_stats=true").json())
          .containsEntry("reason", "Stats in management UI are disabled on this node");
      assertThat(guest().get("/api/connections?disable_stats=true").jsonList())
          .allSatisfy(t -> assertThat(t.keySet()).containsExactly("name", "vhost", "user", "node"));
    }
  }

  @Test
  void listingsPageAsRabbitMqPagesThem() throws Exception {
    try (Connection c1 = open("guest", "p1"); Connection c2 = open("guest", "p2")) {
      Map<String, Object> page = guest().get("/api/connections?page=1&page_size=1").json();
      assertThat(page).containsEntry("page_size", 1).containsEntry("item_count", 1);
      assertThat((Integer) page.get("total_count")).isGreaterThanOrEqualTo(2);
    }
  }
}
