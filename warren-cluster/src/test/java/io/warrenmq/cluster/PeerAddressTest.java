package io.warrenmq.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerAddressTest {
  @Test
  void hostsWithAndWithoutPortsAndIpv6InBrackets() {
    assertThat(PeerAddress.parse("10.0.0.1:25700", 25672)).isEqualTo(new PeerAddress("10.0.0.1", 25700));
    assertThat(PeerAddress.parse(" Node-A ", 25672)).isEqualTo(new PeerAddress("node-a", 25672));
    assertThat(PeerAddress.parse("[fd00::1]:25701", 25672)).isEqualTo(new PeerAddress("fd00::1", 25701));
    assertThat(PeerAddress.parse("fd00::1", 25672)).isEqualTo(new PeerAddress("fd00::1", 25672));
    assertThat(new PeerAddress("fd00::1", 25701).hostPort()).isEqualTo("[fd00::1]:25701");
  }

  @Test
  void aListKeepsItsOrderAndDropsRepeats() {
    assertThat(PeerAddress.parseList("b:1, a:2,,b:1", 25672))
        .containsExactly(new PeerAddress("b", 1), new PeerAddress("a", 2));
  }

  @Test
  void raftPeerIdsHaveNoColonsForJmx() {
    assertThat(new PeerAddress("fd00::1", 25701).id().toString()).doesNotContain(":");
    assertThat(new PeerAddress("127.0.0.1", 25701).id().toString()).isEqualTo("127.0.0.1_25701");
  }

  @Test
  void badPortsAreRefused() {
    assertThatThrownBy(() -> PeerAddress.parse("h:0", 1)).hasMessageContaining("not between 1 and 65535");
    assertThatThrownBy(() -> PeerAddress.parse("[::1", 1)).hasMessageContaining("no closing ]");
  }
}
