package io.warrenmq.it.connection;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import io.warrenmq.broker.ResourceLimits;
import io.warrenmq.broker.ResourceLimits.DiskFreeLimit;
import io.warrenmq.broker.ResourceLimits.MemoryWatermark;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import io.warrenmq.it.support.PrometheusText;
import io.warrenmq.it.support.WarrenctlScript;
import io.warrenmq.it.support.WarrenctlScript.Result;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resource alarms as RabbitMQ raises them: a memory watermark below what the broker uses, or a
 * free disk limit above what the disk has, set at run time with warrenctl, raises the alarm; a
 * publishing connection then gets connection.blocked with RabbitMQ's reason and is no longer read
 * (its messages stop arriving), while a consumer on another connection keeps draining and a
 * connection that never published keeps working; the health checks answer 503 with the alarm,
 * /api/nodes and Prometheus show it; lifting the threshold unblocks the publisher, whose messages
 * then all arrive.
 */
class ResourceAlarmsIT {
  @RegisterExtension
  static final BrokerExtension broker =
      BrokerExtension.withManagement(Map.of("memory_monitor_interval", "100")).withPrometheus();

  private static ManagementHttp guest() {
    return ManagementHttp.guest(broker);
  }

  private static Result ctl(String... args) throws Exception {
    Result r = WarrenctlScript.run(broker, args);
    assertThat(r.code()).as("warrenctl %s: %s%s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  @AfterEach
  void clearTheAlarms() {
    ResourceLimits l = broker.server().broker().resourceLimits();
    l.setMemoryHighWatermark(new MemoryWatermark.Relative(ResourceLimits.DEFAULT_MEMORY_FRACTION));
    l.setDiskFreeLimit(new DiskFreeLimit.Absolute(ResourceLimits.DEFAULT_DISK_FREE_LIMIT));
    eventually("alarms cleared", () -> broker.server().broker().alarms().active().isEmpty());
  }

  /** What a publisher's BlockedListener heard. */
  static final class Heard implements BlockedListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void handleBlocked(String reason) {
      events.add("blocked:" + reason);
    }

    @Override
    public void handleUnblocked() {
      events.add("unblocked");
    }
  }

  private static double gauge(String name) {
    return PrometheusText.get(broker.prometheusPort(), "/metrics").families().get(name).samples().getFirst().value();
  }

  @Test
  void aMemoryAlarmBlocksThePublisherWhileAConsumerDrainsAndRaisingTheWatermarkUnblocksIt() throws Exception {
    try (Connection consumerConn = broker.factory().newConnection();
        Connection publisherConn = broker.factory().newConnection()) {
      Heard heard = new Heard();
      publisherConn.addBlockedListener(heard);
      Channel cc = consumerConn.createChannel();
      cc.queueDeclare("alarm-mem", false, false, false, null);
      cc.queueDeclare("alarm-backlog", false, false, false, null);
      Channel pc = publisherConn.createChannel();
      int backlog = 50;
      for (int i = 0; i < backlog; i++) {
        pc.basicPublish("", "alarm-backlog", null, new byte[1024]);
      }
      eventually("backlog queued", () -> count(cc, "alarm-backlog") == backlog);

      ctl("set_vm_memory_high_watermark", "absolute", "1MB");
      eventually("memory alarm raised", () -> guest().get("/api/health/checks/alarms").status() == 503);
      Reply health = guest().get("/api/health/checks/local-alarms");
      assertThat(health.status()).isEqualTo(503);
      String node = broker.server().broker().pids().node();
      assertThat(health.json()).isEqualTo(Map.of("status", "failed", "reason", "There are alarms in effect on the node",
          "alarms", List.of(Map.of("node", node, "resource", "memory"))));
      assertThat(guest().get("/api/health/checks/alarms").json().get("reason"))
          .isEqualTo("There are alarms in effect in the cluster");
      Map<String, Object> nodeJson = guest().get("/api/nodes/" + ManagementHttp.enc(node)).json();
      assertThat(nodeJson).containsEntry("mem_alarm", true).containsEntry("disk_free_alarm", false);
      assertThat(((Number) nodeJson.get("mem_limit")).longValue()).isEqualTo(1_000_000L);
      assertThat(((Number) nodeJson.get("mem_used")).longValue()).isGreaterThan(1_000_000);
      assertThat(gauge("rabbitmq_alarms_memory_used_watermark")).isEqualTo(1.0);
      assertThat(gauge("rabbitmq_alarms_free_disk_space_watermark")).isZero();
      assertThat(ctl("status").out()).contains("Alarms\n\nMemory alarm on node " + node + "\n");

      // a connection that never published is not blocked: it declares and consumes
      AtomicInteger drained = new AtomicInteger();
      AtomicInteger received = new AtomicInteger();
      DeliverCallback count = (tag, d) -> (d.getEnvelope().getRoutingKey().equals("alarm-mem") ? received : drained)
          .incrementAndGet();
      cc.queueDeclare("alarm-declared-while-blocked", false, false, true, null);
      cc.basicConsume("alarm-backlog", true, count, tag -> {});
      cc.basicConsume("alarm-mem", true, count, tag -> {});
      eventually("the consumer drains the backlog during the alarm", () -> drained.get() == backlog);

      // the publishing thread blocks once the socket's buffers are full: TCP pushes back
      int n = 2000;
      Thread publishing = publishInBackground(pc, "alarm-mem", n);
      eventually("publisher told it is blocked", () -> heard.events.contains("blocked:low on memory"));
      Thread.sleep(500);
      int atBlock = received.get();
      Thread.sleep(1000);
      assertThat(received.get()).as("nothing more is read from the blocked publisher").isEqualTo(atBlock)
          .isLessThan(n);
      assertThat(guest().get("/api/connections").jsonList()).extracting(c -> c.get("state"))
          .contains("blocked", "blocking");

      ctl("set_vm_memory_high_watermark", "0.9");
      eventually("publisher told it is unblocked", () -> heard.events.contains("unblocked"));
      eventually("every message published during the alarm arrives", () -> received.get() == n);
      publishing.join(10_000);
      assertThat(heard.events).containsExactly("blocked:low on memory", "unblocked");
      assertThat(guest().get("/api/health/checks/alarms").status()).isEqualTo(200);
      assertThat(guest().get("/api/health/checks/local-alarms").json()).isEqualTo(Map.of("status", "ok"));
      assertThat(guest().get("/api/nodes/" + ManagementHttp.enc(node)).json()).containsEntry("mem_alarm", false);
      assertThat(gauge("rabbitmq_alarms_memory_used_watermark")).isZero();
      assertThat(ctl("status").out()).contains("Alarms\n\n(none)\n");
      pc.basicPublish("", "alarm-mem", null, new byte[1]);
      eventually("publishing goes on after the alarm", () -> received.get() == n + 1);
    }
  }

  @Test
  void aDiskAlarmBlocksWithLowOnDiskUntilTheLimitIsLowered() throws Exception {
    try (Connection publisherConn = broker.factory().newConnection();
        Connection consumerConn = broker.factory().newConnection()) {
      Heard heard = new Heard();
      publisherConn.addBlockedListener(heard);
      Channel cc = consumerConn.createChannel();
      cc.queueDeclare("alarm-disk", false, false, false, null);
      AtomicInteger received = new AtomicInteger();
      cc.basicConsume("alarm-disk", true, (tag, d) -> received.incrementAndGet(), tag -> {});

      ctl("set_disk_free_limit", "100000000000000000");
      eventually("disk alarm raised", () -> guest().get("/api/health/checks/local-alarms").status() == 503);
      assertThat(guest().get("/api/health/checks/local-alarms").json().get("alarms"))
          .isEqualTo(List.of(Map.of("node", broker.server().broker().pids().node(), "resource", "disk")));
      assertThat(gauge("rabbitmq_alarms_free_disk_space_watermark")).isEqualTo(1.0);
      assertThat(gauge("rabbitmq_alarms_file_descriptor_limit")).isZero();

      Channel pc = publisherConn.createChannel();
      int n = 500;
      Thread publishing = publishInBackground(pc, "alarm-disk", n);
      eventually("publisher told it is blocked", () -> heard.events.contains("blocked:low on disk"));
      Thread.sleep(500);
      int atBlock = received.get();
      Thread.sleep(1000);
      assertThat(received.get()).isEqualTo(atBlock).isLessThan(n);

      ctl("set_disk_free_limit", "50MB");
      eventually("publisher told it is unblocked", () -> heard.events.contains("unblocked"));
      eventually("every message arrives", () -> received.get() == n);
      publishing.join(10_000);
      assertThat(guest().get("/api/health/checks/local-alarms").status()).isEqualTo(200);
      assertThat(gauge("rabbitmq_alarms_free_disk_space_watermark")).isZero();
    }
  }

  /** Publishes n 1 KB messages on a thread of its own, which blocks once TCP pushes back. */
  private static Thread publishInBackground(Channel pc, String queue, int n) {
    return Thread.ofPlatform().start(() -> {
      try {
        for (int i = 0; i < n; i++) {
          pc.basicPublish("", queue, null, new byte[1024]);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static long count(Channel ch, String queue) {
    try {
      return ch.queueDeclarePassive(queue).getMessageCount();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
