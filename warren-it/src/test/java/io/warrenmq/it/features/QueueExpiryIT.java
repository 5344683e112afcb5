package io.warrenmq.it.features;

import static io.warrenmq.it.features.Fixtures.queueExists;
import static io.warrenmq.it.features.Fixtures.setPolicy;
import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.it.support.BrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Queue TTL (x-expires, the expires policy) as RabbitMQ has it: a queue unused for that long is
 * deleted; a consumer, basic.get or a (passive) redeclare is use, publishing is not
 * (rabbit_amqqueue_process ensure_expiry_timer, which basic_get and stat restart). Existence is
 * checked in-process, since a passive declare would itself count as use.
 */
class QueueExpiryIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  private void awaitGone(String q) {
    eventually(q + " is deleted", () -> !queueExists(broker, q));
  }

  /** Something that counts as use of a queue. */
  @FunctionalInterface
  interface Touch {
    void on(String queue) throws IOException;
  }

  /**
   * Uses {@code q} over and over until a queue declared now with the same x-expires has expired,
   * then checks that {@code q} is still there, and that it expires once left alone.
   */
  private void keptAliveBy(String q, int expires, Touch use) {
    String canary = unique("xexp-canary");
    try {
      ch.queueDeclare(canary, false, false, false, Map.of("x-expires", expires));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    eventually("the canary queue expires", () -> {
      try {
        use.on(q);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return !queueExists(broker, canary);
    });
    assertThat(queueExists(broker, q)).isTrue();
    awaitGone(q);
  }

  @Nested
  class Unused {
    @Test
    void anUnusedQueueIsDeleted() throws Exception {
      String q = unique("xexp");
      ch.queueDeclare(q, false, false, false, Map.of("x-expires", 50));
      awaitGone(q);
      assertThat(channelCloseOf(() -> ch.queueDeclarePassive(q)))
          .isEqualTo("404 NOT_FOUND - no queue '" + q + "' in vhost '/'");
    }

    @Test
    void publishingIsNotUseAndTheMessagesGoWithTheQueue() throws Exception {
      String q = unique("xexp-pub");
      ch.queueDeclare(q, false, false, false, Map.of("x-expires", 100));
      eventually(q + " is deleted while messages keep arriving", () -> {
        try {
          ch.basicPublish("", q, null, bytes("m"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return !queueExists(broker, q);
      });
      ch.queueDeclare(q, false, false, false, Map.of("x-expires", 100));
      assertThat(ch.basicGet(q, true)).isNull();
    }

    @Test
    void aDurableQueueExpiresTooAndStaysGoneAfterARestart() throws Exception {
      String q = unique("xexp-durable");
      ch.queueDeclare(q, true, false, false, Map.of("x-expires", 50));
      ch.basicPublish("", q, null, bytes("m"));
      awaitGone(q);
      conn.abort();
      broker.restart();
      assertThat(queueExists(broker, q)).isFalse();
    }

    @Test
    void xExpiresZeroIsRefused() throws Exception {
      String q = unique("xexp-zero");
      assertThat(channelCloseOf(() -> ch.queueDeclare(q, false, false, false, Map.of("x-expires", 0))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-expires' for queue '" + q
              + "' in vhost '/': {value_zero,0}");
    }
  }

  @Nested
  class Use {
    @Test
    void aConsumerKeepsTheQueueUntilItLeaves() throws Exception {
      String q = unique("xexp-consumer");
      ch.queueDeclare(q, false, false, false, Map.of("x-expires", 100));
      Channel consumer = conn.createChannel();
      String tag = consumer.basicConsume(q, true, (t, d) -> { }, t -> { });
      String canary = unique("xexp-canary");
      ch.queueDeclare(canary, false, false, false, Map.of("x-expires", 100));
      awaitGone(canary);
      assertThat(queueExists(broker, q)).isTrue();
      consumer.basicCancel(tag);
      awaitGone(q);
    }

    @Test
    void aConsumerWhoseConnectionClosesNoLongerKeepsIt() throws Exception {
      String q = unique("xexp-closed");
      ch.queueDeclare(q, false, false, false, Map.of("x-expires", 100));
      Connection other = broker.factory().newConnection();
      other.createChannel().basicConsume(q, true, (t, d) -> { }, t -> { });
      other.close();
      awaitGone(q);
    }

    @Test
    void basicGetIsUse() {
      String q = unique("xexp-get");
      declare(q);
      keptAliveBy(q, 150, name -> ch.basicGet(name, true));
    }

    @Test
    void aRedeclareIsUse() {
      String q = unique("xexp-redeclare");
      declare(q);
      keptAliveBy(q, 150, name -> ch.queueDeclare(name, false, false, false, Map.of("x-expires", 150)));
    }

    @Test
    void aPassiveDeclareIsUse() {
      String q = unique("xexp-passive");
      declare(q);
      keptAliveBy(q, 150, name -> ch.queueDeclarePassive(name));
    }

    private void declare(String q) {
      try {
        ch.queueDeclare(q, false, false, false, Map.of("x-expires", 150));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Nested
  class ByPolicy {
    @Test
    void anExpiresPolicyAppliesToAnExistingQueue() throws Exception {
      String q = unique("pexp");
      ch.queueDeclare(q, false, false, false, null);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("expires", 50L));
      awaitGone(q);
    }

    @Test
    void aLowerPolicyWinsOverTheArgument() throws Exception {
      String q = unique("pexp-lower");
      ch.queueDeclare(q, false, false, false, Map.of("x-expires", 600_000));
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("expires", 50L));
      awaitGone(q);
    }

    @Test
    void aPolicyForExchangesDoesNotExpireQueues() throws Exception {
      String q = unique("pexp-exchanges");
      ch.queueDeclare(q, false, false, false, null);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.EXCHANGES, 0, Map.of("expires", 50L));
      String canary = unique("xexp-canary");
      ch.queueDeclare(canary, false, false, false, Map.of("x-expires", 100));
      awaitGone(canary);
      assertThat(queueExists(broker, q)).isTrue();
    }
  }
}
