package io.warrenmq.it.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code connection_max}: the node's connection limit, as RabbitMQ's rabbit_reader checks it at
 * connection.open, and the health checks that report it (RabbitMQ 4.1's ready-to-serve-clients
 * and below-node-connection-limit).
 */
class NodeConnectionLimitIT {
  @RegisterExtension
  static final BrokerExtension broker = BrokerExtension.withManagement(Map.of("connection_max", "2"));

  private static ManagementHttp guest() {
    return ManagementHttp.guest(broker);
  }

  @Test
  void theConnectionBeyondTheLimitIsRefusedAndTheChecksSaySo() throws Exception {
    assertThat(guest().get("/api/health/checks/ready-to-serve-clients").json()).containsEntry("status", "ok");
    assertThat(guest().get("/api/health/checks/below-node-connection-limit").status()).isEqualTo(200);
    assertThat(guest().get("/api/health/checks/is-in-service").json()).containsEntry("status", "ok");
    try (Connection a = broker.factory().newConnection(); Connection b = broker.factory().newConnection()) {
      Throwable refused = catchThrowable(() -> broker.factory().newConnection());
      assertThat(refused).isNotNull();
      Throwable cause = refused instanceof ShutdownSignalException ? refused : refused.getCause();
      assertThat(cause).isInstanceOf(ShutdownSignalException.class);
      assertThat(cause.getMessage())
          .contains("reply-code=530")
          .contains("NOT_ALLOWED - connection refused: node connection limit (2) is reached");
      assertThat(a.isOpen() && b.isOpen()).as("the two within the limit go on").isTrue();

      Reply ready = guest().get("/api/health/checks/ready-to-serve-clients");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json()).containsEntry("status", "failed")
          .containsEntry("reason", "node connection limit is reached").containsEntry("connections", 2);
      Reply below = guest().get("/api/health/checks/below-node-connection-limit");
      assertThat(below.status()).isEqualTo(503);
      assertThat(below.json()).containsEntry("reason", "node connection limit is reached");
    }
    io.warrenmq.it.support.Eventually.eventually("the connections gone", () ->
        guest().get("/api/health/checks/ready-to-serve-clients").status() == 200);
    try (Connection again = broker.factory().newConnection()) {
      assertThat(again.isOpen()).isTrue();
    }
  }
}
