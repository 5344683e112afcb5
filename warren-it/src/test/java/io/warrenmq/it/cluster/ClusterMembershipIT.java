package io.warrenmq.it.cluster;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.it.support.ClusterProcesses;
import io.warrenmq.it.support.WarrenctlScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started with a peer list that names a running cluster and itself joins it and gets the
 * metadata made before it came; forget_cluster_node removes a stopped member, and refuses a
 * running one.
 */
class ClusterMembershipIT {
  @TempDir Path dir;

  private static String members(ClusterProcesses c, int node) throws Exception {
    String out = c.ctl(node, "-q", "cluster_status").out();
    return out.substring(out.indexOf("Members"));
  }

  @Test
  void aFourthNodeJoinsARunningClusterAndIsForgottenOnceStopped() throws Exception {
    try (ClusterProcesses c = new ClusterProcesses(dir, 4, 3, List.of()).start()) {
      assertThat(c.ctl(1, "add_user", "early", "early-pw").code()).isZero();
      assertThat(c.ctl(1, "set_permissions", "early", ".*", ".*", ".*").code()).isZero();

      c.startLater(4);
      c.awaitOnline(1, 4);
      assertThat(members(c, 2)).contains("n4");
      ConnectionFactory f = c.factory(4);
      f.setUsername("early");
      f.setPassword("early-pw");
      try (Connection conn = f.newConnection()) {
        assertThat(conn.isOpen()).as("a user made before node 4 came logs in there").isTrue();
        conn.createChannel().queueDeclare("on.n4", true, false, false, null);
      }
      assertThat(c.ctl(2, "-q", "queue_leader", "on.n4").out().strip()).isEqualTo("n4");

      WarrenctlScript.Result running = c.ctl(1, "forget_cluster_node", "n4");
      assertThat(running.code()).isNotZero();
      assertThat(running.out() + running.err()).contains("n4 is running");

      assertThat(c.node(4).stop()).isZero();
      eventually(Duration.ofSeconds(30), "node 1 forgets the stopped node 4",
          () -> {
            try {
              return c.ctl(1, "forget_cluster_node", "n4").code() == 0;
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });
      eventually(Duration.ofSeconds(10), "node 3 no longer lists node 4", () -> {
        try {
          return !members(c, 3).contains("n4");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      eventually(Duration.ofSeconds(10), "node 4's queue went with it (RabbitMQ's forget_cluster_node)", () -> {
        try {
          return !c.ctl(3, "-q", "list_queues", "name").out().contains("on.n4");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      // three members again: two of them are a majority, so a change commits with one stopped
      assertThat(c.node(3).stop()).isZero();
      assertThat(c.ctl(1, "add_user", "late", "pw").code()).as("a change with 2 of 3 members up").isZero();
    }
  }
}
