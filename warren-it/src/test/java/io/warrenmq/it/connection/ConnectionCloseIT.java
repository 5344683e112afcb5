package io.warrenmq.it.connection;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.frame.Frames;
import io.warrenmq.amqp.method.BasicGet;
import io.warrenmq.amqp.method.BasicGetOk;
import io.warrenmq.amqp.method.BasicPublish;
import io.warrenmq.amqp.method.ConnectionClose;
import io.warrenmq.amqp.method.ConnectionCloseOk;
import io.warrenmq.amqp.method.ConnectionOpen;
import io.warrenmq.amqp.method.ConnectionOpenOk;
import io.warrenmq.amqp.method.ConnectionTune;
import io.warrenmq.amqp.method.ConnectionTuneOk;
import io.warrenmq.amqp.method.ConnectionUpdateSecret;
import io.warrenmq.amqp.method.ConnectionUpdateSecretOk;
import io.warrenmq.amqp.method.QueueDeclare;
import io.warrenmq.amqp.method.QueueDeclareOk;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.RawAmqp;
import io.warrenmq.it.support.RawAmqp.Ending;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** connection.close in both directions, forced closes by the broker, and connection.update-secret. */
class ConnectionCloseIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  /** The connection.close the broker sent, waited for up to 10 s. */
  static AMQP.Connection.Close awaitBrokerClose(BlockingQueue<ShutdownSignalException> closes) throws Exception {
    ShutdownSignalException s = closes.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("connection closed by the broker").isNotNull();
    assertThat(s.isInitiatedByApplication()).isFalse();
    return (AMQP.Connection.Close) s.getReason();
  }

  static BlockingQueue<ShutdownSignalException> closes(Connection c) {
    BlockingQueue<ShutdownSignalException> q = new ArrayBlockingQueue<>(1);
    c.addShutdownListener(q::add);
    return q;
  }

  /** {@code n} basic.publish to the default exchange with a 100-byte body, on channel 1. */
  static void writePublishes(ByteBuf out, String queue, int n) {
    ByteBuf body = Unpooled.wrappedBuffer(new byte[100]);
    for (int i = 0; i < n; i++) {
      Frames.writeMethod(out, 1, new BasicPublish("", queue, false, false));
      Frames.writeHeader(out, 1, body.readableBytes(), BasicProperties.EMPTY);
      Frames.writeBody(out, 1, body.duplicate(), 4096);
    }
  }

  static byte[] bytes(ByteBuf b) {
    byte[] a = new byte[b.readableBytes()];
    b.readBytes(a);
    return a;
  }

  @Nested
  class ClientClose {
    @Test
    void connectionCloseIsAnsweredWithCloseOkAndTheSocketIsLeftForTheClientToClose() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.openChannel(1);
        raw.sendMethod(0, new ConnectionClose(200, "Goodbye", 0, 0));
        raw.expect(ConnectionCloseOk.class);
        assertThat(raw.awaitEnd(Duration.ofMillis(500))).as("right after close-ok").isEqualTo(Ending.OPEN);
        raw.shutdownOutput();
        assertThat(raw.awaitEnd(Duration.ofSeconds(5))).as("after the client's FIN").isEqualTo(Ending.FIN);
      }
    }

    /**
     * RabbitMQ (rabbit_reader, handle_frame when closed) ignores what follows connection.close and
     * leaves the socket open: a broker that closed at once would have the kernel answer the
     * client's frames in flight with a reset.
     */
    @Test
    void framesRightBehindConnectionCloseAreIgnoredAndNeverAnsweredWithAReset() throws Exception {
      String q = "close-then-publish";
      try (Connection admin = broker.factory().newConnection(); Channel ach = admin.createChannel()) {
        ach.queueDeclare(q, false, false, false, null);
        try (RawAmqp raw = RawAmqp.open(broker.port())) {
          raw.openChannel(1);
          ByteBuf out = Unpooled.buffer();
          Frames.writeMethod(out, 0, new ConnectionClose(200, "Goodbye", 0, 0));
          writePublishes(out, q, 200);
          raw.send(bytes(out)); // one write: the publishes are on the wire with the close
          raw.expect(ConnectionCloseOk.class);
          for (int i = 0; i < 20; i++) {
            ByteBuf more = Unpooled.buffer();
            writePublishes(more, q, 10);
            raw.send(bytes(more)); // a reset would make these writes fail (EPIPE)
          }
          assertThat(raw.awaitEnd(Duration.ofMillis(300))).isEqualTo(Ending.OPEN);
          raw.shutdownOutput();
          assertThat(raw.awaitEnd(Duration.ofSeconds(5))).isEqualTo(Ending.FIN);
        }
        assertThat(ach.queueDeclarePassive(q).getMessageCount()).as("publishes after the close").isZero();
        ach.queueDelete(q);
      }
    }

    @Test
    void aConnectionCloseRepeatedAfterCloseOkIsAnsweredWithCloseOkAgain() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.sendMethod(0, new ConnectionClose(200, "Goodbye", 0, 0));
        raw.expect(ConnectionCloseOk.class);
        raw.sendMethod(0, new ConnectionClose(200, "Goodbye again", 0, 0));
        raw.expect(ConnectionCloseOk.class);
      }
    }

    /** RabbitMQ's close timer is the negotiated heartbeat interval when it is below 30 s. */
    @Test
    void aClientThatNeverClosesAfterCloseOkIsClosedByTheBrokerWhenTheCloseTimerFires() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port(), 2047, 4096, 1)) {
        raw.sendMethod(0, new ConnectionClose(200, "Goodbye", 0, 0));
        raw.expect(ConnectionCloseOk.class);
        assertThat(raw.awaitEnd(Duration.ofMillis(400))).as("before the timer").isEqualTo(Ending.OPEN);
        assertThat(raw.readUpTo(4096)).as("nothing, not even heartbeats, after close-ok").isEmpty();
      }
    }
    @Test
    void theJavaClientClosesCleanlyWithItsOpenChannels() throws Exception {
      Connection c = broker.factory().newConnection();
      Channel ch = c.createChannel();
      c.close();
      assertThat(c.isOpen()).isFalse();
      assertThat(ch.isOpen()).isFalse();
      assertThat(c.getCloseReason().isInitiatedByApplication()).isTrue();
    }

    @Test
    void unackedMessagesGoBackToTheQueueWhenTheConnectionCloses() throws Exception {
      try (Connection admin = broker.factory().newConnection(); Channel ach = admin.createChannel()) {
        ach.queueDeclare("close-requeue", false, false, false, null);
        ach.confirmSelect(); // the message is in the queue before another connection gets it
        ach.basicPublish("", "close-requeue", null, "m".getBytes(StandardCharsets.UTF_8));
        ach.waitForConfirmsOrDie(5000);
        try (Connection c = broker.factory().newConnection()) {
          Channel ch = c.createChannel();
          GetResponse first = ch.basicGet("close-requeue", false);
          assertThat(first.getEnvelope().isRedeliver()).isFalse();
        }
        GetResponse again = ach.basicGet("close-requeue", true);
        assertThat(again).isNotNull();
        assertThat(again.getEnvelope().isRedeliver()).isTrue();
        ach.queueDelete("close-requeue");
      }
    }
  }

  @Nested
  class DroppedSocket {
    @Test
    void aSocketDroppedWithoutCloseReleasesExclusiveQueuesAndRequeuesUnacked() throws Exception {
      try (Connection admin = broker.factory().newConnection(); Channel ach = admin.createChannel()) {
        ach.queueDeclare("dropped-shared", false, false, false, null);
        ach.basicPublish("", "dropped-shared", null, "m".getBytes(StandardCharsets.UTF_8));
        try (RawAmqp raw = RawAmqp.open(broker.port())) {
          raw.openChannel(1);
          raw.sendMethod(1, new QueueDeclare("dropped-exclusive", false, false, true, false, false,
              FieldTable.EMPTY));
          raw.expect(QueueDeclareOk.class);
          raw.sendMethod(1, new BasicGet("dropped-shared", false));
          raw.expect(BasicGetOk.class);
          raw.readFrame(); // header
          raw.readFrame(); // body
        } // the socket closes without connection.close
        eventually("the exclusive queue is gone", () -> {
          try (Channel probe = admin.createChannel()) {
            probe.queueDeclarePassive("dropped-exclusive");
            return false;
          } catch (IOException e) {
            return true;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        eventually("the unacked message is back", () -> {
          try {
            return ach.queueDeclarePassive("dropped-shared").getMessageCount() == 1;
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
        assertThat(ach.basicGet("dropped-shared", true).getEnvelope().isRedeliver()).isTrue();
        ach.queueDelete("dropped-shared");
      }
    }
  }

  @Nested
  class ForcedClose {
    @Test
    void deletingAVhostClosesItsConnectionsWith320() throws Exception {
      var b = broker.server().broker();
      b.addVhost("doomed");
      b.setPermission("guest", "doomed", Permission.ALL);
      ConnectionFactory f = broker.factory();
      f.setVirtualHost("doomed");
      try (Connection survivor = broker.factory().newConnection()) {
        Connection c = f.newConnection();
        BlockingQueue<ShutdownSignalException> closes = closes(c);
        b.deleteVhost("doomed");
        AMQP.Connection.Close close = awaitBrokerClose(closes);
        assertThat(close.getReplyCode()).isEqualTo(320);
        assertThat(close.getReplyText()).isEqualTo("CONNECTION_FORCED - vhost 'doomed' is deleted");
        assertThat(survivor.isOpen()).isTrue();
        try (Channel ch = survivor.createChannel()) {
          assertThat(ch.queueDeclare().getQueue()).isNotEmpty();
        }
      }
    }

    @Test
    void deletingAUserClosesTheirConnectionsWith320() throws Exception {
      var b = broker.server().broker();
      b.addUser("leaver", "pw", List.of());
      b.setPermission("leaver", "/", Permission.ALL);
      ConnectionFactory f = broker.factory();
      f.setUsername("leaver");
      f.setPassword("pw");
      Connection c = f.newConnection();
      BlockingQueue<ShutdownSignalException> closes = closes(c);
      b.deleteUser("leaver");
      AMQP.Connection.Close close = awaitBrokerClose(closes);
      assertThat(close.getReplyCode()).isEqualTo(320);
      assertThat(close.getReplyText()).isEqualTo("CONNECTION_FORCED - user 'leaver' is deleted");
    }

    @Test
    void aBrokerShutdownClosesEveryConnectionWith320() throws Exception {
      Connection c = broker.factory().newConnection();
      BlockingQueue<ShutdownSignalException> closes = closes(c);
      try {
        broker.stop();
        AMQP.Connection.Close close = awaitBrokerClose(closes);
        assertThat(close.getReplyCode()).isEqualTo(320);
        assertThat(close.getReplyText())
            .isEqualTo("CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'");
      } finally {
        broker.start();
      }
      try (Connection again = broker.factory().newConnection()) {
        assertThat(again.isOpen()).isTrue();
      }
    }
  }

  /** The Java client 5.27 sends update-secret only from its OAuth2 refresh service: raw frames. */
  @Nested
  class UpdateSecret {
    @Test
    void aPasswordUserMayUpdateTheSecretAndCarryOn() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.sendMethod(0, new ConnectionUpdateSecret(LongString.of("a-new-token"), "token refresh"));
        raw.expect(ConnectionUpdateSecretOk.class);
        raw.openChannel(1);
      }
    }

    @Test
    void anUpdateAfterTheVhostPermissionWasRevokedClosesWith530() throws Exception {
      var b = broker.server().broker();
      b.addUser("revoked", "pw", List.of());
      b.setPermission("revoked", "/", Permission.ALL);
      try (RawAmqp raw = RawAmqp.connect(broker.port())) {
        raw.sendProtocolHeader();
        raw.startOk("PLAIN", RawAmqp.plain("revoked", "pw"));
        raw.expect(ConnectionTune.class);
        raw.sendMethod(0, new ConnectionTuneOk(2047, 4096, 0));
        raw.sendMethod(0, new ConnectionOpen("/"));
        raw.expect(ConnectionOpenOk.class);
        b.clearPermission("revoked", "/");
        raw.sendMethod(0, new ConnectionUpdateSecret(LongString.of("pw"), "refresh"));
        assertThat(raw.expect(ConnectionClose.class)).isEqualTo(new ConnectionClose(530,
            "NOT_ALLOWED - access to vhost '/' refused for user 'revoked'", 10, 70));
      }
    }
  }
}
