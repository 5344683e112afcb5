package io.warrenmq.it.cluster;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.it.support.ClusterProcesses;
import io.warrenmq.it.support.WarrenctlScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling upgrade: three nodes of an "old" version (one that lacks the metadata_log flag: a
 * system property makes the build announce less) are upgraded one at a time while the cluster
 * keeps taking changes; the new flag can be enabled only once every node supports it, and then an
 * old node may not join.
 */
class FeatureFlagsIT {
  private static final List<String> OLD = List.of("-Dwarren.cluster.unsupportedFeatureFlags=metadata_log");

  @TempDir Path dir;

  private static String flags(ClusterProcesses c, int node) throws Exception {
    WarrenctlScript.Result r = c.ctl(node, "-q", "list_feature_flags");
    assertThat(r.code()).isZero();
    return r.out();
  }

  private static void upgrade(ClusterProcesses c, int node) throws Exception {
    assertThat(c.node(node).stop()).isZero();
    c.node(node).jvmArgs(List.of()).start();
    for (int i = 1; i <= 3; i++) {
      c.awaitOnline(i, 3);
    }
  }

  private static void addUserSeenEverywhere(ClusterProcesses c, int via, String user) throws Exception {
    assertThat(c.ctl(via, "add_user", user, "pw").code()).isZero();
    for (int i = 1; i <= 3; i++) {
      int node = i;
      eventually(Duration.ofSeconds(10), user + " on node " + node, () -> {
        try {
          return c.ctl(node, "-q", "list_users").out().contains(user);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    }
  }

  @Test
  void aFlagIsEnabledOnceEveryNodeIsUpgradedAndThenAnOldNodeMayNotJoin() throws Exception {
    try (ClusterProcesses c = new ClusterProcesses(dir, 4, 3, List.of())) {
      for (int i = 1; i <= 4; i++) {
        c.node(i).jvmArgs(OLD);
      }
      c.start();
      assertThat(flags(c, 1)).contains("user_limits\tenabled").doesNotContain("metadata_log");

      upgrade(c, 1);
      assertThat(flags(c, 1)).as("the new version knows the flag; the cluster has it off")
          .contains("metadata_log\tdisabled");
      addUserSeenEverywhere(c, 2, "during-upgrade");
      WarrenctlScript.Result early = c.ctl(1, "enable_feature_flag", "metadata_log");
      assertThat(early.code()).isNotZero();
      assertThat(early.out() + early.err()).contains("not supported by nodes n2, n3");

      upgrade(c, 2);
      upgrade(c, 3);
      addUserSeenEverywhere(c, 3, "after-upgrade");
      assertThat(c.ctl(1, "enable_feature_flag", "metadata_log").code()).isZero();
      for (int i = 1; i <= 3; i++) {
        int node = i;
        eventually(Duration.ofSeconds(10), "enabled on node " + node, () -> {
          try {
            return flags(c, node).contains("metadata_log\tenabled");
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
      }

      c.node(4).start(); // an old node with the cluster in its peer list
      assertThat(c.node(4).awaitExit(Duration.ofSeconds(60))).as("the old node stops").isEqualTo(1);
      assertThat(c.node(4).logText()).contains("does not support feature flags enabled in the cluster: [metadata_log]");
      assertThat(c.ctl(1, "-q", "cluster_status").out()).doesNotContain("n4");
    }
  }
}
