package io.warrenmq.it.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Connection;
import io.warrenmq.amqp.method.ConnectionStart;
import io.warrenmq.amqp.method.ConnectionTune;
import io.warrenmq.amqp.method.ConnectionTuneOk;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.RawAmqp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * handshake_timeout: a client that does not finish the handshake in time loses its socket, without
 * connection.close (as RabbitMQ, which does not trust the peer yet).
 */
class HandshakeTimeoutIT {
  @RegisterExtension
  static final BrokerExtension broker = new BrokerExtension(Map.of("handshake_timeout", "500"));

  @Test
  void aClientThatSendsNothingIsDisconnected() throws Exception {
    try (RawAmqp raw = RawAmqp.connect(broker.port())) {
      assertThat(raw.closedByBroker(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void aClientThatStopsAfterTheProtocolHeaderIsDisconnectedWithoutConnectionClose() throws Exception {
    try (RawAmqp raw = RawAmqp.connect(broker.port())) {
      raw.sendProtocolHeader();
      raw.expect(ConnectionStart.class);
      assertThat(raw.readUpTo(4096)).as("bytes after connection.start").isEmpty();
    }
  }

  @Test
  void aClientThatStopsBeforeConnectionOpenIsDisconnected() throws Exception {
    try (RawAmqp raw = RawAmqp.connect(broker.port())) {
      raw.sendProtocolHeader();
      raw.startOk("PLAIN", RawAmqp.plain("guest", "guest"));
      raw.expect(ConnectionTune.class);
      raw.sendMethod(0, new ConnectionTuneOk(2047, 4096, 0));
      assertThat(raw.readUpTo(4096)).as("bytes after connection.tune").isEmpty();
    }
  }

  @Test
  void aCompletedHandshakeIsNotCutOffLater() throws Exception {
    try (RawAmqp raw = RawAmqp.open(broker.port())) {
      assertThat(raw.closedByBroker(Duration.ofMillis(1500))).isFalse();
      raw.openChannel(1);
    }
    try (Connection c = broker.factory().newConnection()) {
      assertThat(c.isOpen()).isTrue();
    }
  }
}
