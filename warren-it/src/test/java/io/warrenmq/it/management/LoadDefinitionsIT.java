package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.server.WarrenServer;
import io.warrenmq.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * RabbitMQ's {@code load_definitions}: the file (or every file of a directory) is imported at
 * boot, after recovery and before clients can connect, at every boot; a file that does not import
 * stops the boot.
 */
class LoadDefinitionsIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement(
      Map.of("load_definitions", DefinitionsFixture.path("rabbitmq-3.10.8.json").toString()));

  @Test
  void theFileIsImportedAtBootAndAgainAfterARestart() throws Exception {
    assertThat(broker.server().broker().vhost("orders").queue("orders.work")).isNotNull();
    assertThat(broker.server().broker().users().get("app")).isNotNull();
    // a queue deleted at run time comes back with the next boot's import, as in RabbitMQ
    broker.server().broker().vhost("orders").deleteQueue("orders.failed", false, false, new Object());
    broker.restart();
    assertThat(broker.server().broker().vhost("orders").queue("orders.failed")).isNotNull();
  }

  @Test
  void aDirectoryIsImportedFileByFileInNameOrder(@TempDir Path dir) throws Exception {
    Path defs = dir.resolve("defs");
    Files.createDirectories(defs);
    Files.writeString(defs.resolve("10-vhost.json"), "{\"vhosts\":[{\"name\":\"from-dir\"}]}");
    Files.writeString(defs.resolve("20-queue.json"), "{\"queues\":[{\"name\":\"dq\",\"vhost\":\"from-dir\","
        + "\"durable\":true,\"auto_delete\":false,\"arguments\":{}}]}");
    try (WarrenServer s = start(dir.resolve("data"), defs)) {
      assertThat(s.broker().vhost("from-dir").queue("dq")).isNotNull();
    }
  }

  @Test
  void aFileThatDoesNotImportStopsTheBoot(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"users\":[{\"name\":\"no-tags\"}]}");
    assertThatThrownBy(() -> start(dir.resolve("data"), bad)).isInstanceOf(IOException.class)
        .hasMessageContaining("tags_not_present");
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> start(dir.resolve("data2"), missing)).isInstanceOf(IOException.class)
        .hasMessageContaining("does not exist or cannot be read");
    // the data directory is free again: a broker starts on it
    try (WarrenServer s = start(dir.resolve("data"), null)) {
      assertThat(s.broker().vhost("/")).isNotNull();
    }
  }

  private static WarrenServer start(Path data, Path definitions) throws Exception {
    return WarrenServer.start(ConfigLoader.load(new String[] {"--port", "0", "--bind", "127.0.0.1", "--data-dir",
        data.toString(), "--management-port", "0", "--ctl-socket", data.resolve("ctl.sock").toString(),
        "--load-definitions", definitions == null ? "" : definitions.toString()}, Map.of()));
  }
}
