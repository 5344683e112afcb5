package io.warrenmq.it.cluster;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.it.support.ClusterProcesses;
import io.warrenmq.it.support.WarrenctlScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three broker processes started with the same peer list form a cluster on their own, and the
 * access metadata (vhosts, users, permissions, policies) changed through any node is the same on
 * every node; without a majority a change fails after the metadata timeout and nothing diverges.
 */
class ClusterIT {
  @TempDir static Path dir;
  static ClusterProcesses cluster;

  @BeforeAll
  static void form() throws Exception {
    cluster = new ClusterProcesses(dir, 3, List.of("--cluster-metadata-timeout", "3000")).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ConnectionFactory as(int node, String user, String password) {
    ConnectionFactory f = cluster.factory(node);
    f.setUsername(user);
    f.setPassword(password);
    return f;
  }

  private static boolean canLogIn(ConnectionFactory f) {
    try (Connection c = f.newConnection()) {
      return c.isOpen();
    } catch (Exception e) {
      return false;
    }
  }

  private static WarrenctlScript.Result ctlOk(int node, String... args) throws Exception {
    WarrenctlScript.Result r = cluster.ctl(node, args);
    assertThat(r.code()).as("warrenctl %s on node %d: %s%s", String.join(" ", args), node, r.out(), r.err()).isZero();
    return r;
  }

  @Test
  void everyNodeSeesTheThreeMembersRunningAndTheSameLeader() throws Exception {
    String leader = null;
    for (int i = 1; i <= 3; i++) {
      String out = ctlOk(i, "cluster_status").out();
      String running = out.substring(out.indexOf("Running Nodes"), out.indexOf("Metadata Leader"));
      assertThat(running).contains("n1", "n2", "n3");
      String l = out.substring(out.indexOf("Metadata Leader") + "Metadata Leader".length()).strip().lines()
          .findFirst().orElseThrow();
      assertThat(l).isIn("n1", "n2", "n3");
      if (leader == null) {
        leader = l;
      }
      assertThat(l).as("node %d's leader", i).isEqualTo(leader);
      var nodes = cluster.management(i).get("/api/nodes").jsonList();
      assertThat(nodes).extracting(n -> n.get("name")).containsExactly("n1", "n2", "n3");
      assertThat(nodes).allMatch(n -> Boolean.TRUE.equals(n.get("running")));
      assertThat(cluster.management(i).get("/api/overview").json().get("node")).isEqualTo("n" + i);
      assertThat(cluster.management(i).get("/api/cluster-name").json().get("name")).isEqualTo("warren");
    }
  }

  @Test
  void aUserAddedThroughOneNodesApiLogsInOnEveryNode() throws Exception {
    var api = cluster.management(1);
    assertThat(api.put("/api/users/alice", Map.of("password", "alice-pw", "tags", "")).status()).isEqualTo(201);
    assertThat(api.put("/api/permissions/%2F/alice", Map.of("configure", ".*", "write", ".*", "read", ".*")).status())
        .isEqualTo(201);
    assertThat(canLogIn(as(1, "alice", "alice-pw"))).as("on the node that added her").isTrue();
    for (int i = 2; i <= 3; i++) {
      int node = i;
      eventually(Duration.ofSeconds(10), "alice logs in on node " + node, () -> canLogIn(as(node, "alice", "alice-pw")));
      assertThat(cluster.management(node).get("/api/users/alice").status()).isEqualTo(200);
    }
  }

  @Test
  void aVhostAndItsPolicyMadeWithWarrenctlOnOneNodeShowOnTheOthers() throws Exception {
    ctlOk(2, "add_vhost", "shared");
    ctlOk(2, "set_permissions", "-p", "shared", "guest", ".*", ".*", ".*");
    ctlOk(2, "set_policy", "-p", "shared", "cap", "^capped\\.", "{\"max-length\": 5}");
    for (int i = 1; i <= 3; i++) {
      int node = i;
      eventually(Duration.ofSeconds(10), "the policy on node " + node,
          () -> cluster.management(node).get("/api/policies/shared/cap").status() == 200);
      ConnectionFactory f = cluster.factory(node);
      f.setVirtualHost("shared");
      try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
        // the replicated policy applies to a queue declared on this node
        ch.queueDeclare("capped.q" + node, false, false, true, null);
        for (int m = 0; m < 8; m++) {
          ch.basicPublish("", "capped.q" + node, null, new byte[] {(byte) m});
        }
        ch.confirmSelect();
        ch.basicPublish("", "capped.q" + node, null, new byte[0]);
        ch.waitForConfirmsOrDie(5000);
        assertThat(ch.queueDeclarePassive("capped.q" + node).getMessageCount()).as("node %d", node).isEqualTo(5);
      }
    }
  }

  @Test
  void deletingAUserOnOneNodeClosesTheirConnectionsOnAnother() throws Exception {
    ctlOk(1, "add_user", "leaver", "leaver-pw");
    ctlOk(1, "set_permissions", "leaver", ".*", ".*", ".*");
    eventually(Duration.ofSeconds(10), "leaver logs in on node 3", () -> canLogIn(as(3, "leaver", "leaver-pw")));
    Connection c = as(3, "leaver", "leaver-pw").newConnection();
    BlockingQueue<ShutdownSignalException> closed = new ArrayBlockingQueue<>(1);
    c.addShutdownListener(closed::add);
    ctlOk(2, "delete_user", "leaver");
    ShutdownSignalException s = closed.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("node 3 closed the deleted user's connection").isNotNull();
    AMQP.Connection.Close close = (AMQP.Connection.Close) s.getReason();
    assertThat(close.getReplyCode()).isEqualTo(320);
    assertThat(close.getReplyText()).isEqualTo("CONNECTION_FORCED - user 'leaver' is deleted");
  }

  /**
   * A restarted node applies only the entries it had not applied: the vhost deleted and made again
   * before the restart is not deleted again, so what a queue in it holds is still there.
   */
  @Test
  void aRestartedNodeAppliesNoEntryTwice() throws Exception {
    ctlOk(3, "add_vhost", "again");
    ctlOk(3, "delete_vhost", "again");
    ctlOk(3, "add_vhost", "again");
    ctlOk(3, "set_permissions", "-p", "again", "guest", ".*", ".*", ".*");
    ConnectionFactory f = cluster.factory(3);
    f.setVirtualHost("again");
    try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("kept", true, false, false, null);
      ch.confirmSelect();
      ch.basicPublish("", "kept", MessageProperties.PERSISTENT_BASIC, "still here".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(5000);
    }
    assertThat(cluster.node(3).stop()).isZero();
    cluster.node(3).start();
    cluster.awaitOnline(3, 3);
    try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
      var got = ch.basicGet("kept", true);
      assertThat(got).as("the message in the vhost made again").isNotNull();
      assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("still here");
    }
    assertThat(ctlOk(1, "-q", "list_vhosts").out()).contains("again");
  }

  @Test
  void withoutAMajorityAChangeFailsAfterTheTimeoutAndTheNodesStillAgree() throws Exception {
    cluster.node(1).kill();
    cluster.node(2).kill();
    try {
      long t0 = System.nanoTime();
      WarrenctlScript.Result r = cluster.ctl(3, "add_user", "lonely", "pw");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out() + r.err()).contains("metadata store operation timed out");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
      var api = cluster.management(3).put("/api/vhosts/lonely", Map.of());
      assertThat(api.status()).as("the API's answer: %s", api.body()).isEqualTo(503);
      assertThat(api.body()).contains("metadata store operation timed out");
      var nodes = cluster.management(3).get("/api/nodes").jsonList();
      assertThat(nodes).filteredOn(n -> Boolean.TRUE.equals(n.get("running"))).extracting(n -> n.get("name"))
          .containsExactly("n3");
      assertThat(canLogIn(as(3, "lonely", "pw"))).isFalse();
    } finally {
      cluster.node(1).start();
      cluster.node(2).start();
    }
    cluster.awaitOnline(3, 3);
    // the timed-out change is indeterminate (a leader on node 3 may still commit it): the nodes agree either way
    eventually(Duration.ofSeconds(10), "the three nodes list the same users", () -> {
      try {
        String one = ctlOk(1, "-q", "list_users").out();
        return one.equals(ctlOk(2, "-q", "list_users").out()) && one.equals(ctlOk(3, "-q", "list_users").out());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    ctlOk(3, "add_user", "healed", "pw");
    ctlOk(3, "set_permissions", "healed", ".*", ".*", ".*");
    eventually(Duration.ofSeconds(10), "healed logs in on node 1", () -> canLogIn(as(1, "healed", "pw")));
    int lonely = cluster.management(1).get("/api/vhosts/lonely").status();
    for (int i = 2; i <= 3; i++) {
      assertThat(cluster.management(i).get("/api/vhosts/lonely").status()).as("node %d", i).isEqualTo(lonely);
    }
    assertThatThrownBy(() -> ctlOk(2, "add_user", "healed", "again")).hasMessageContaining("already exists");
  }
}
