package io.warrenmq.it.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.amqp.AmqpConstants;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.RawAmqp;
import io.warrenmq.it.support.RawAmqp.RawFrame;
import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Heartbeats (AMQP 0-9-1 4.2.7): with a negotiated interval both peers send heartbeat frames when
 * otherwise silent, and a peer silent for about two intervals is cut off.
 */
class HeartbeatIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  @Test
  void aJavaClientWithAOneSecondHeartbeatStaysConnectedWhileIdle() throws Exception {
    ConnectionFactory f = broker.factory();
    f.setRequestedHeartbeat(1);
    try (Connection c = f.newConnection()) {
      assertThat(c.getHeartbeat()).isEqualTo(1);
      BlockingQueue<ShutdownSignalException> closed = new ArrayBlockingQueue<>(1);
      c.addShutdownListener(closed::add);
      // the client gives up after missing the broker's heartbeats, the broker after missing the
      // client's: three idle intervals must pass without either closing
      assertThat(closed.poll(3500, TimeUnit.MILLISECONDS)).as("connection closed while idle").isNull();
      try (Channel ch = c.createChannel()) {
        assertThat(ch.queueDeclare().getQueue()).isNotEmpty();
      }
    }
  }

  @Test
  void theBrokerSendsHeartbeatsToAClientThatAskedForThem() throws Exception {
    try (RawAmqp raw = RawAmqp.open(broker.port(), 2047, 4096, 1)) {
      int heartbeats = 0;
      while (heartbeats < 3) {
        raw.sendFrame(AmqpConstants.FRAME_HEARTBEAT, 0, new byte[0]); // we stay alive too
        RawFrame f = raw.readFrame(); // bounded by the 5 s socket timeout
        assertThat(f.type()).as(RawAmqp.describe(f)).isEqualTo(AmqpConstants.FRAME_HEARTBEAT);
        assertThat(f.channel()).isZero();
        heartbeats++;
      }
      raw.openChannel(1);
    }
  }

  @Test
  void aPeerThatStopsTalkingIsDisconnectedAfterAboutTwoIntervals() throws Exception {
    try (RawAmqp raw = RawAmqp.open(broker.port(), 2047, 4096, 1)) {
      raw.setReadTimeout(Duration.ofSeconds(6));
      int heartbeats = 0;
      try {
        while (true) {
          RawFrame f = raw.readFrame();
          assertThat(f.type()).as("only heartbeats, no connection.close").isEqualTo(AmqpConstants.FRAME_HEARTBEAT);
          heartbeats++;
        }
      } catch (EOFException | SocketException closedByBroker) {
        assertThat(heartbeats).as("heartbeats before the broker gave up").isPositive();
      }
    }
  }

  @Test
  void noHeartbeatsFlowWhenTheClientDisablesThem() throws Exception {
    try (RawAmqp raw = RawAmqp.open(broker.port(), 2047, 4096, 0)) {
      raw.setReadTimeout(Duration.ofMillis(1500));
      assertThatThrownBy(raw::readFrame).as("nothing arrives").isInstanceOf(SocketTimeoutException.class);
      raw.setReadTimeout(Duration.ofSeconds(5));
      raw.openChannel(1);
    }
  }
}
