package io.warrenmq.it.cluster;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warrenmq.it.support.ClusterProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A quorum queue's log does not grow for ever: every member snapshots its state each so many
 * entries ({@code quorum_queue_snapshot_interval}, 64 here) and Ratis drops the entries before, a
 * segment file at a time ({@code raft_log_segment_bytes}, 32 KB here).
 * A member started again starts from its snapshot; a member added after the entries went gets the
 * snapshot and the bodies of the messages still waiting, and hands them out in order.
 */
class QuorumSnapshotIT {
  @RegisterExtension
  static final ClusterProcesses cluster = ClusterProcesses.perClass(3, List.of("--cluster-metadata-timeout", "5000",
      "--quorum-queue-snapshot-interval", "64", "--raft-log-segment-bytes", "32768"));

  /** Publishes m-from .. m-(to-1) one entry each (a confirm awaited after each). */
  private static void publish(String queue, int from, int to) throws Exception {
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      for (int i = from; i < to; i++) {
        ch.basicPublish("", queue, MessageProperties.PERSISTENT_TEXT_PLAIN, ("m-" + i).getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(10_000);
      }
    }
  }

  /** Takes {@code n} messages through {@code node} with basic.get and acks each: n entries more. */
  private static void take(int node, String queue, int from, int n) throws Exception {
    try (Connection c = cluster.connect(node); Channel ch = c.createChannel()) {
      for (int i = from; i < from + n; i++) {
        GetResponse r = ch.basicGet(queue, false);
        assertThat(r).as("message m-%d", i).isNotNull();
        assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("m-" + i);
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
      }
    }
  }

  /** A figure of this node's member as quorum_status shows it (-2 if none). */
  private static long status(int node, String queue, String key) throws IOException, InterruptedException {
    for (String line : cluster.ctl(node, "quorum_status", queue).out().split("\n")) {
      if (line.startsWith(key + "\t")) {
        return Long.parseLong(line.substring(key.length() + 1).trim());
      }
    }
    return -2;
  }

  private static boolean compacted(int node, String queue) {
    try {
      return status(node, queue, "raft snapshot index") > 0 && status(node, queue, "raft log start index") > 0;
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return false;
    }
  }

  /** Waits until {@code node}'s member took a snapshot and dropped the log entries before it. */
  private static void awaitCompacted(int node, String queue) throws Exception {
    try {
      eventually(Duration.ofSeconds(40), "n" + node + " took a snapshot and dropped the entries before it",
          () -> compacted(node, queue));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + cluster.ctl(node, "quorum_status", queue).out(), e);
    }
  }

  private static String leader(int node, String queue) {
    try {
      return cluster.ctl(node, "queue_leader", queue).out().trim();
    } catch (IOException | InterruptedException e) {
      return "(" + e + ")";
    }
  }

  private static int messages(int node, String queue) {
    Object m = cluster.management(node).get("/api/queues/%2F/" + queue).json().get("messages");
    return m instanceof Number n ? n.intValue() : -1;
  }

  @Test
  void aMemberAddedAfterTheLogWasCompactedGetsTheSnapshotAndTheBodies() throws Exception {
    Map<String, Object> a = new HashMap<>();
    a.put("x-queue-type", "quorum");
    a.put("x-quorum-initial-group-size", 2);
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.snap", true, false, false, a);
    }
    @SuppressWarnings("unchecked")
    List<String> members = (List<String>) cluster.management(1).get("/api/queues/%2F/qq.snap").json().get("members");
    String outside = List.of("n1", "n2", "n3").stream().filter(n -> !members.contains(n)).findFirst().orElseThrow();
    int out = Integer.parseInt(outside.substring(1));

    publish("qq.snap", 0, 1000);
    take(1, "qq.snap", 0, 500);
    for (String m : members) {
      int i = Integer.parseInt(m.substring(1));
      awaitCompacted(i, "qq.snap");
    }

    var added = cluster.ctl(1, "add_member", "qq.snap", outside);
    assertThat(added.code()).as(added.out() + added.err()).isZero();
    try {
      eventually(Duration.ofSeconds(60), outside + " installed the snapshot", () -> {
        try {
          return status(out, "qq.snap", "raft snapshot index") > 0 && status(out, "qq.snap", "messages") == 500;
        } catch (IOException | InterruptedException | NumberFormatException e) {
          return false;
        }
      });
    } catch (AssertionError e) {
      String log = cluster.node(out).logText().lines().filter(l -> l.contains("napshot") || l.contains("ERROR")
          || l.contains("WARN")).reduce("", (x, y) -> x + "\n" + y);
      throw new AssertionError(e.getMessage() + "\n" + cluster.ctl(out, "quorum_status", "qq.snap").out() + log, e);
    }
    assertThat(cluster.node(out).logText()).as("the entries it lacked were gone: it was sent the snapshot")
        .contains("Installed snapshot");
    var moved = cluster.ctl(1, "transfer_leadership", "qq.snap", outside);
    assertThat(moved.code()).as(moved.out() + moved.err()).isZero();
    eventually(Duration.ofSeconds(20), outside + " leads", () -> leader(1, "qq.snap").equals(outside));
    // it hands out what waits, from its installed bodies, in order
    take(out, "qq.snap", 500, 500);
    eventually(Duration.ofSeconds(10), "empty on every node", () -> messages(1, "qq.snap") == 0
        && messages(2, "qq.snap") == 0 && messages(3, "qq.snap") == 0);
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.queueDelete("qq.snap");
    }
  }

  @Test
  void aMemberStartedAgainStartsFromItsSnapshot() throws Exception {
    Map<String, Object> a = new HashMap<>();
    a.put("x-queue-type", "quorum");
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.restart.snap", true, false, false, a);
    }
    publish("qq.restart.snap", 0, 800);
    take(2, "qq.restart.snap", 0, 300);
    awaitCompacted(3, "qq.restart.snap");

    cluster.node(3).kill();
    publish("qq.restart.snap", 800, 810); // while it is down
    cluster.node(3).start();
    cluster.awaitOnline(3, 3);
    assertThat(cluster.node(3).logText()).contains("qq.restart.snap' in vhost '/': state from a snapshot");
    eventually(Duration.ofSeconds(30), "n3 caught up", () -> {
      try {
        return status(3, "qq.restart.snap", "messages") == 510;
      } catch (IOException | InterruptedException | NumberFormatException e) {
        return false;
      }
    });
    var moved = cluster.ctl(1, "transfer_leadership", "qq.restart.snap", "n3");
    assertThat(moved.code()).as(moved.out() + moved.err()).isZero();
    eventually(Duration.ofSeconds(20), "n3 leads", () -> leader(1, "qq.restart.snap").equals("n3"));
    take(1, "qq.restart.snap", 300, 510);
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.queueDelete("qq.restart.snap");
    }
  }
}
