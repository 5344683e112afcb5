package io.warrenmq.it.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.Connection;
import io.warrenmq.it.support.BrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * tcp_listen_options reach the sockets: what the kernel reports for a client's connection to the
 * broker (iproute2's {@code ss}, Linux only). On loopback the segment size is capped at
 * {@code tcp_listen_options.mss} (16 KiB by default, the interface's 64 KiB with 0), which keeps a
 * consumer's window above one segment (docs/benchmarks.md); a configured send buffer is set.
 */
class TcpListenOptionsIT {
  private static final Path SS = Path.of("/usr/bin/ss");

  /** The {@code ss -tnio} line of the broker's end of the connection from {@code clientPort}. */
  private static String socket(int brokerPort, int clientPort) throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(SS) && Files.isDirectory(Path.of("/proc/sys/net")), "Linux with iproute2's ss");
    Process p = new ProcessBuilder(SS.toString(), "-tniom", "state", "established",
        "( sport = :" + brokerPort + " and dport = :" + clientPort + " )").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.replace('\n', ' ');
  }

  private static int field(String ssLine, String name) {
    Matcher m = Pattern.compile("\\b" + name + ":(\\d+)").matcher(ssLine);
    assertThat(m.find()).as("%s in: %s", name, ssLine).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static int clientPort(Connection c) {
    return ((com.rabbitmq.client.impl.NetworkConnection) c).getLocalPort();
  }

  @Nested
  class Defaults {
    @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

    @Test
    void segmentsAreCappedAt16KiB() throws Exception {
      try (Connection c = broker.factory().newConnection()) {
        String s = socket(broker.port(), clientPort(c));
        assertThat(field(s, "mss")).as("loopback's 65,483 capped").isBetween(16_000, 16_384);
      }
    }
  }

  @Nested
  class Configured {
    @RegisterExtension static final BrokerExtension broker = new BrokerExtension(Map.of(
        "tcp_listen_options.mss", "0", "tcp_listen_options.sndbuf", "262144"));

    @Test
    void mssZeroLeavesTheInterfacesAndTheBuffersAreSet() throws Exception {
      try (Connection c = broker.factory().newConnection()) {
        String s = socket(broker.port(), clientPort(c));
        assertThat(field(s, "mss")).as("not capped: loopback's own (bounded by the send buffer)").isGreaterThan(16_384);
        // the kernel doubles SO_SNDBUF for its bookkeeping: tb in skmem
        Matcher tb = Pattern.compile("tb(\\d+)").matcher(s);
        assertThat(tb.find()).as("skmem in: %s", s).isTrue();
        assertThat(Integer.parseInt(tb.group(1))).isEqualTo(2 * 262144);
      }
    }
  }
}
