package io.warrenmq.it.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.it.support.BrokerProcess;
import io.warrenmq.it.support.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker process at its edges: refusing a second instance, bad configuration, --help and --version. */
class ProcessLifecycleIT {
  @TempDir Path tmp;

  private static ChildProcess.Result warren(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "-jar";
    all[1] = "@jar";
    System.arraycopy(args, 0, all, 2, args.length);
    return ChildProcess.run(ChildProcess.java(all), Duration.ofSeconds(60));
  }

  @Test
  void aSecondBrokerOnTheSameDataDirectoryRefusesToStartAndTheFirstKeepsServing() throws Exception {
    Path data = tmp.resolve("data");
    try (BrokerProcess first = new BrokerProcess(data).start()) {
      BrokerProcess second = new BrokerProcess(data);
      assertThatThrownBy(second::start)
          .hasMessageContaining("broker exited with 1")
          .hasMessageContaining("is in use by another broker");
      second.close();
      ConnectionFactory f = new ConnectionFactory();
      f.setPort(first.port());
      f.setAutomaticRecoveryEnabled(false);
      try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
        ch.queueDeclare("still-here", true, false, false, null);
      }
      assertThat(first.stop()).isZero();
    }
  }

  @Test
  void aPortInUseExitsWithOneAndReleasesTheDataDirectory() throws Exception {
    try (BrokerProcess first = new BrokerProcess(tmp.resolve("first")).start()) {
      Path data = tmp.resolve("second");
      ChildProcess.Result r = warren("--data-dir", data.toString(), "--bind", "127.0.0.1",
          "--port", Integer.toString(first.port()));
      assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
      assertThat(r.output()).contains("could not start").containsIgnoringCase("address already in use");
      // the failed start let go of its data directory: a broker on another port can use it
      try (BrokerProcess second = new BrokerProcess(data).start()) {
        assertThat(second.stop()).isZero();
      }
    }
  }

  @Test
  void aBadConfigurationValueExitsWithTwoNamingTheKey() throws Exception {
    ChildProcess.Result r = warren("--data-dir", tmp.resolve("d").toString(), "--port", "amqp");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
    assertThat(r.output()).contains("warren: configuration key 'port' must be a number, got 'amqp'");
    assertThat(tmp.resolve("d")).as("nothing created").doesNotExist();
  }

  @Test
  void anUnknownFlagExitsWithTwo() throws Exception {
    ChildProcess.Result r = warren("--no-such-flag", "1");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
    assertThat(r.output()).contains("unknown configuration key 'no_such_flag'");
  }

  @Test
  void aDataDirectoryThatCannotBeUsedExitsWithOne() throws Exception {
    Path notADir = Files.writeString(tmp.resolve("a-file"), "x");
    ChildProcess.Result r = warren("--data-dir", notADir.toString(), "--port", "0");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("could not start");
  }

  @Test
  void helpAndVersionPrintAndExitWithZero() throws Exception {
    ChildProcess.Result help = warren("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.output()).contains("Usage: warren").contains("--data-dir").contains("WARREN_DATA_DIR")
        .contains("--segment-size");
    ChildProcess.Result version = warren("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.output()).startsWith("WarrenMQ ");
  }
}
