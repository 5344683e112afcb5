package io.warrenmq.it.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.server.WarrenServer;
import io.warrenmq.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails half way (the port is taken) gives back everything it took: the data directory above all. */
class StartFailureIT {
  @RegisterExtension static final BrokerExtension running = new BrokerExtension();
  @TempDir Path tmp;

  @Test
  void aStartThatCannotBindLetsGoOfItsDataDirectory() throws Exception {
    Path data = tmp.resolve("data");
    Throwable failure = catchThrowable(() -> WarrenServer.start(ConfigLoader.load(new String[] {
        "--data-dir", data.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(running.port()), "--management-port", "0", "--prometheus-port", "0"}, Map.of())));
    assertThat(failure).as("the port is taken").isNotNull();
    assertThat(failure.toString()).containsIgnoringCase("address already in use");

    try (WarrenServer again = WarrenServer.start(ConfigLoader.load(new String[] {
        "--data-dir", data.toString(), "--bind", "127.0.0.1", "--port", "0", "--management-port", "0", "--prometheus-port", "0"}, Map.of()))) {
      assertThat(again.port()).isPositive();
    }
  }
}
