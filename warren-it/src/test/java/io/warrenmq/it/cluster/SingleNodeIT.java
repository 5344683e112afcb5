package io.warrenmq.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.WarrenctlScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A broker with no peers configured is a single node, as before clustering: no Raft, no cluster threads. */
class SingleNodeIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  @Test
  void aNodeWithoutPeersHasNoRaftLogAndNoClusterThreads() throws Exception {
    assertThat(broker.server().cluster()).isNull();
    assertThat(broker.dataDir().resolve("raft")).doesNotExist();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().toLowerCase().contains("ratis")
        || t.getName().toLowerCase().contains("grpc"));
    WarrenctlScript.Result r = WarrenctlScript.run(broker, "cluster_status");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Running Nodes");
    assertThat(WarrenctlScript.run(broker, "await_online_nodes", "1").code()).isZero();
    assertThat(WarrenctlScript.run(broker, "await_online_nodes", "2", "--timeout", "1").code()).isEqualTo(69);
  }
}
