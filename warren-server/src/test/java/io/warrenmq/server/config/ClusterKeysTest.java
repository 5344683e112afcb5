package io.warrenmq.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warrenmq.cluster.ClusterSettings;
import io.warrenmq.cluster.PeerAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterKeysTest {
  @TempDir Path dir;

  private static BrokerConfig load(String... args) {
    return ConfigLoader.load(args, Map.of());
  }

  @Test
  void noPeersIsASingleNode() {
    assertThat(load().cluster()).isNull();
  }

  @Test
  void theFlagsTheHarnessPassesMakeANodeThatFindsItselfByItsBindAddress() {
    ClusterSettings s = load("--node-name", "n2", "--bind", "127.0.1.2", "--cluster-port", "25672", "--cluster-peers",
        "127.0.1.1:25672,127.0.1.2:25672,127.0.1.3:25672", "--data-dir", "/d").cluster();
    assertThat(s).isNotNull();
    assertThat(s.nodeName()).isEqualTo("n2");
    assertThat(s.self()).isEqualTo(new PeerAddress("127.0.1.2", 25672));
    assertThat(s.peers()).hasSize(3);
    assertThat(s.raftDir()).isEqualTo(Path.of("/d/raft"));
  }

  @Test
  void nodesOnOneHostAreToldApartByTheirClusterPort() {
    ClusterSettings s = load("--bind", "127.0.0.1", "--cluster-port", "25702", "--cluster-peers",
        "127.0.0.1:25701,127.0.0.1:25702,127.0.0.1:25703").cluster();
    assertThat(s.self()).isEqualTo(new PeerAddress("127.0.0.1", 25702));
    assertThat(s.nodeName()).as("nodes sharing a host are named by address and port").isEqualTo("warren@127.0.0.1:25702");
  }

  @Test
  void rabbitmqsClassicConfigLinesListThePeers() throws IOException {
    Path f = Files.writeString(dir.resolve("warren.conf"), """
        bind = 127.0.1.1
        cluster_formation.peer_discovery_backend = classic_config
        cluster_formation.classic_config.nodes.1 = rabbit@127.0.1.1
        cluster_formation.classic_config.nodes.2 = rabbit@127.0.1.2
        cluster_formation.classic_config.nodes.3 = 127.0.1.3:25999
        """);
    ClusterSettings s = load("--config", f.toString()).cluster();
    assertThat(s.peers()).containsExactly(new PeerAddress("127.0.1.1", 25672), new PeerAddress("127.0.1.2", 25672),
        new PeerAddress("127.0.1.3", 25999));
    assertThat(s.self()).isEqualTo(new PeerAddress("127.0.1.1", 25672));
  }

  @Test
  void theDnsBackendTakesEveryAddressOfTheName() {
    ClusterSettings s = load("--bind", "127.0.0.1", "--peer-discovery-backend", "dns", "--cluster-dns-hostname",
        "localhost").cluster();
    assertThat(s.peers()).contains(new PeerAddress("127.0.0.1", 25672));
  }

  @Test
  void aNodeThatIsNotAmongItsPeersOrCannotTellWhichItIsStopsTheStart() {
    assertThatThrownBy(() -> load("--bind", "127.0.0.1", "--cluster-peers", "10.9.9.1:25672,10.9.9.2:25672"))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("set cluster_address");
    assertThatThrownBy(() -> load("--cluster-peers", "127.0.0.1:25672", "--cluster-address", "127.0.0.9"))
        .hasMessageContaining("is not one of the cluster peers");
    assertThatThrownBy(() -> load("--cluster-peers", "127.0.0.1:notaport"))
        .hasMessageContaining("'notaport' is not a port");
    assertThatThrownBy(() -> load("--cluster-peers", "127.0.0.1:25672", "--peer-discovery-backend", "consul"))
        .hasMessageContaining("must be classic_config or dns");
  }
}
