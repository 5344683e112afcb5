package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warrenmq.broker.Compatibility;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import io.warrenmq.it.support.Messaging;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/overview}, {@code /api/nodes} and the health checks of RabbitMQ 3.13.7
 * (rabbit_mgmt_wm_overview, _nodes, _node, _health_check_*, _aliveness_test), with WarrenMQ's
 * honest figures.
 */
class OverviewAndHealthIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();

  private static ManagementHttp guest() {
    return ManagementHttp.guest(broker);
  }

  private static String node() {
    return broker.server().broker().pids().node();
  }

  @BeforeAll
  static void setUp() throws Exception {
    var b = broker.server().broker();
    b.addUser("mgr", "pw", List.of("management"));
    b.setPermission("mgr", "/", new Permission("^m\\.", "^m\\.", "^m\\."));
    b.addUser("watcher", "pw", List.of("monitoring"));
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("ov.q", false, false, false, null);
      ch.basicPublish("", "ov.q", null, Messaging.bytes("1"));
      ch.basicPublish("", "ov.q", null, Messaging.bytes("2"));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOverviewNamesBothProductsTheNodeItsListenersAndItsTotals() throws Exception {
    try (Connection c = broker.factory().newConnection()) {
      c.createChannel();
      Map<String, Object> o = guest().get("/api/overview").json();
      assertThat(o).containsEntry("rabbitmq_version", Compatibility.RABBITMQ_VERSION)
          .containsEntry("management_version", Compatibility.RABBITMQ_VERSION).containsEntry("product_name", "WarrenMQ")
          .containsEntry("node", node()).containsEntry("cluster_name", node()).containsEntry("disable_stats", false)
          .containsKeys("product_version", "exchange_types", "contexts");
      assertThat((String) o.get("erlang_version")).startsWith("n/a (Java ");
      assertThat((Map<String, Object>) o.get("queue_totals")).containsEntry("messages", 2)
          .containsEntry("messages_ready", 2).containsEntry("messages_unacknowledged", 0)
          .containsKeys("messages_details", "messages_ready_details", "messages_unacknowledged_details");
      assertThat(o.get("object_totals")).isEqualTo(Map.of("queues", 1, "exchanges", 7, "connections", 1, "channels", 1,
          "consumers", 0));
      assertThat(o.get("listeners")).isEqualTo(List.of(
          Map.of("node", node(), "protocol", "amqp", "ip_address", "127.0.0.1", "port", broker.port(),
              "socket_opts", Map.of()),
          Map.of("node", node(), "protocol", "http", "ip_address", "127.0.0.1", "port", broker.managementPort(),
              "socket_opts", Map.of())));
      assertThat(o.get("exchange_types").toString()).contains("x-consistent-hash", "x-delayed-message");
    }
  }

  @Test
  void aManagementUserSeesTotalsOfItsVhostsAndNoNodeDetails() {
    Map<String, Object> o = ManagementHttp.as(broker, "mgr", "pw").get("/api/overview").json();
    // rabbit_mgmt_db:overview(User): its own connections and channels, no consumers
    assertThat(o.get("object_totals")).isEqualTo(Map.of("queues", 1, "exchanges", 7, "connections", 0,
        "channels", 0));
    assertThat(o).doesNotContainKeys("listeners", "contexts", "node");
  }

  @Test
  void withDisableStatsTheOverviewHasTheObjectCountsOnly() {
    Map<String, Object> o = guest().get("/api/overview?disable_stats=true").json();
    assertThat(o).containsEntry("disable_stats", true).doesNotContainKey("queue_totals");
    assertThat(o.get("object_totals")).isEqualTo(Map.of("queues", 1, "exchanges", 7, "connections", 0));
  }

  @Test
  void theNodeHasJvmAndOsFiguresAndIsForMonitoringUsers() {
    List<Map<String, Object>> nodes = ManagementHttp.as(broker, "watcher", "pw").get("/api/nodes").jsonList();
    assertThat(nodes).singleElement().satisfies(n -> {
      assertThat(n).containsEntry("name", node()).containsEntry("type", "disc").containsEntry("running", true)
          .containsEntry("mem_alarm", false).containsEntry("disk_free_alarm", false)
          .containsEntry("os_pid", Long.toString(ProcessHandle.current().pid()))
          .containsEntry("processors", Runtime.getRuntime().availableProcessors());
      assertThat(((Number) n.get("mem_limit")).longValue())
          .isEqualTo(broker.server().broker().resourceLimits().memoryLimitBytes());
      assertThat(((Number) n.get("disk_free_limit")).longValue())
          .isEqualTo(broker.server().broker().resourceLimits().diskFreeLimitBytes());
      assertThat(((Number) n.get("mem_used")).longValue()).isPositive();
      assertThat(((Number) n.get("fd_used")).longValue()).isPositive();
      assertThat(((Number) n.get("fd_total")).longValue()).isGreaterThanOrEqualTo(((Number) n.get("fd_used")).longValue());
      assertThat(((Number) n.get("proc_used")).longValue()).isPositive();
      assertThat(((Number) n.get("uptime")).longValue()).isPositive();
      assertThat(((Number) n.get("disk_free")).longValue()).isPositive();
    });
    assertThat(guest().get("/api/nodes/" + node()).json()).containsEntry("name", node());
    assertThat(guest().get("/api/nodes/rabbit@nowhere").status()).isEqualTo(404);
    assertThat(ManagementHttp.as(broker, "mgr", "pw").get("/api/nodes").json())
        .containsEntry("reason", "Not monitor user");
  }

  @Test
  void theAlarmAndClusterChecksPassAsOnAHealthySingleNode() {
    for (String check : List.of("alarms", "local-alarms", "virtual-hosts")) {
      assertThat(guest().get("/api/health/checks/" + check).json()).isEqualTo(Map.of("status", "ok"));
    }
    for (String check : List.of("node-is-quorum-critical", "node-is-mirror-sync-critical")) {
      assertThat(guest().get("/api/health/checks/" + check).json())
          .isEqualTo(Map.of("status", "ok", "reason", "single node cluster"));
    }
    assertThat(guest().get("/api/healthchecks/node").json()).isEqualTo(Map.of("status", "ok"));
  }

  @Test
  void theListenerChecksNameWhatIsMissing() {
    assertThat(guest().get("/api/health/checks/port-listener/" + broker.port()).json())
        .isEqualTo(Map.of("status", "ok", "port", broker.port()));
    Reply missing = guest().get("/api/health/checks/port-listener/1");
    assertThat(missing.status()).isEqualTo(503);
    assertThat(missing.json()).containsEntry("status", "failed").containsEntry("reason", "No active listener")
        .containsEntry("missing", 1).containsEntry("ports", List.of(broker.port(), broker.managementPort()));
    assertThat(guest().get("/api/health/checks/port-listener/abc").json()).containsEntry("reason", "Invalid port");
    assertThat(guest().get("/api/health/checks/protocol-listener/amqp091").json())
        .isEqualTo(Map.of("status", "ok", "protocol", "amqp"));
    assertThat(guest().get("/api/health/checks/protocol-listener/management").json())
        .isEqualTo(Map.of("status", "ok", "protocol", "http"));
    Reply mqtt = guest().get("/api/health/checks/protocol-listener/mqtt");
    assertThat(mqtt.status()).isEqualTo(503);
    assertThat(mqtt.json()).containsEntry("missing", "mqtt").containsEntry("protocols", List.of("amqp", "http"));
  }

  @Test
  void theAlivenessTestDeclaresPublishesAndGetsAsTheUser() {
    assertThat(guest().get("/api/aliveness-test/%2F").json()).isEqualTo(Map.of("status", "ok"));
    assertThat(guest().get("/api/aliveness-test/%2F").json()).isEqualTo(Map.of("status", "ok"));
    assertThat(guest().get("/api/queues/%2F/aliveness-test").json()).containsEntry("messages", 0)
        .containsEntry("durable", false);
    Reply refused = ManagementHttp.as(broker, "mgr", "pw").get("/api/aliveness-test/%2F");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json()).containsEntry("reason",
        "ACCESS_REFUSED - configure access to queue 'aliveness-test' in vhost '/' refused for user 'mgr'");
    assertThat(guest().get("/api/aliveness-test/nope").status()).isEqualTo(404);
  }
}
