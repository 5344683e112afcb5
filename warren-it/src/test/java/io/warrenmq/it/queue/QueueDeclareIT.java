package io.warrenmq.it.queue;

import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * queue.declare (passive, durable, exclusive, auto-delete, server-named, counts, the empty-name
 * shortcut) with RabbitMQ's reply codes and texts.
 */
class QueueDeclareIT {
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

  /** Whether the queue exists, asked on a fresh connection (so exclusivity does not interfere). */
  static boolean exists(String queue) throws Exception {
    try (Connection c = broker.factory().newConnection()) {
      Channel probe = c.createChannel();
      try {
        probe.queueDeclarePassive(queue);
        return true;
      } catch (IOException e) {
        String close = channelCloseOf(() -> {
          throw e;
        });
        if (close.startsWith("405 ")) {
          return true;
        }
        assertThat(close).isEqualTo("404 NOT_FOUND - no queue '" + queue + "' in vhost '/'");
        return false;
      }
    }
  }

  static String locked(String queue) {
    return "405 RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '" + queue
        + "' in vhost '/'. It could be originally declared on another connection or the exclusive"
        + " property value does not match that of the original declaration.";
  }

  @Nested
  class Declare {
    @Test
    void passiveDeclareOfAMissingQueueIs404() {
      assertThat(channelCloseOf(() -> ch.queueDeclarePassive("no-such-q")))
          .isEqualTo("404 NOT_FOUND - no queue 'no-such-q' in vhost '/'");
    }

    @Test
    void declareOkCarriesTheReadyMessageAndConsumerCounts() throws Exception {
      String q = unique("q");
      AMQP.Queue.DeclareOk first = ch.queueDeclare(q, false, false, true, null);
      assertThat(first.getQueue()).isEqualTo(q);
      assertThat(first.getMessageCount()).isZero();
      assertThat(first.getConsumerCount()).isZero();
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", q, null, bytes("m" + i));
      }
      Channel consumerChannel = conn.createChannel();
      consumerChannel.basicQos(1);
      LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
      consumerChannel.basicConsume(q, false, (tag, d) -> got.add(new String(d.getBody())), tag -> { });
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("m0");
      AMQP.Queue.DeclareOk passive = ch.queueDeclarePassive(q);
      assertThat(passive.getMessageCount()).as("ready, not the unacked one").isEqualTo(2);
      assertThat(passive.getConsumerCount()).isEqualTo(1);
      AMQP.Queue.DeclareOk again = ch.queueDeclare(q, false, false, true, null);
      assertThat(again.getMessageCount()).isEqualTo(2);
      assertThat(again.getConsumerCount()).isEqualTo(1);
      assertThat(ch.messageCount(q)).isEqualTo(2);
      assertThat(ch.consumerCount(q)).isEqualTo(1);
    }

    @Test
    void aServerNamedQueueGetsAnAmqGenName() throws Exception {
      AMQP.Queue.DeclareOk ok = ch.queueDeclare("", false, false, false, null);
      assertThat(ok.getQueue()).matches("amq\\.gen-[A-Za-z0-9_-]{22}");
      assertThat(ch.queueDeclare().getQueue()).isNotEqualTo(ok.getQueue());
      ch.queueDelete(ok.getQueue());
    }

    @Test
    void aClientMayNotNameAQueueWithTheAmqPrefix() {
      assertThat(channelCloseOf(() -> ch.queueDeclare("amq.mine", false, false, false, null)))
          .isEqualTo("403 ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.*'");
    }

    @Test
    void redeclaringAServerNamedQueueByItsNameIs403() throws Exception {
      String q = ch.queueDeclare().getQueue();
      // RabbitMQ checks the reserved prefix before it looks the queue up
      assertThat(channelCloseOf(() -> ch.queueDeclare(q, false, true, true, null)))
          .isEqualTo("403 ACCESS_REFUSED - queue name '" + q + "' contains reserved prefix 'amq.*'");
    }

    @Test
    void aServerNamedQueueMayBeDeclaredPassivelyByItsName() throws Exception {
      String q = ch.queueDeclare().getQueue();
      assertThat(ch.queueDeclarePassive(q).getQueue()).isEqualTo(q);
    }

    @Test
    void redeclaringWithAnotherDurabilityIs406() {
      String q = unique("q");
      assertThat(channelCloseOf(() -> {
        ch.queueDeclare(q, false, false, true, null);
        ch.queueDeclare(q, true, false, true, null);
      })).isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'durable' for queue '" + q
          + "' in vhost '/': received 'true' but current is 'false'");
    }

    @Test
    void redeclaringWithAnotherAutoDeleteIs406() {
      String q = unique("q");
      assertThat(channelCloseOf(() -> {
        ch.queueDeclare(q, false, false, true, null);
        ch.queueDeclare(q, false, false, false, null);
      })).isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'auto_delete' for queue '" + q
          + "' in vhost '/': received 'false' but current is 'true'");
    }

    @Test
    void redeclaringWithAnotherArgumentValueIs406() {
      String q = unique("q");
      assertThat(channelCloseOf(() -> {
        ch.queueDeclare(q, false, false, true, Map.of("x-max-length", 10));
        ch.queueDeclare(q, false, false, true, Map.of("x-max-length", 20));
      })).isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'x-max-length' for queue '" + q
          + "' in vhost '/': received '20' but current is '10'");
    }

    @Test
    void aDeadLetterExchangeThatIsNotAStringIs406() {
      String q = unique("q");
      assertThat(channelCloseOf(() ->
          ch.queueDeclare(q, false, false, true, Map.of("x-dead-letter-exchange", 5))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid type 'signedint' for arg 'x-dead-letter-exchange'"
              + " in queue '" + q + "' in vhost '/'");
    }

    @Test
    void aDurableQueueDeclaredExclusiveIsNotDurable() throws Exception {
      String q = unique("q");
      ch.queueDeclare(q, true, true, false, null);
      // durable = durable and not exclusive: redeclaring as non-durable is equivalent
      ch.queueDeclare(q, false, true, false, null);
      assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void theDirectReplyToPseudoQueueAlwaysHasOneConsumer() throws Exception {
      AMQP.Queue.DeclareOk ok = ch.queueDeclare("amq.rabbitmq.reply-to", false, false, false, null);
      assertThat(ok.getQueue()).isEqualTo("amq.rabbitmq.reply-to");
      assertThat(ok.getMessageCount()).isZero();
      assertThat(ok.getConsumerCount()).isEqualTo(1);
    }

    @Test
    void aNowaitDeclareCreatesTheQueue() throws Exception {
      String q = unique("q");
      ch.queueDeclareNoWait(q, false, false, true, null);
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(drain(ch, q)).containsExactly("m");
    }
  }

  @Nested
  class Exclusive {
    @Test
    void anotherConnectionCannotDeclareOrUseAnExclusiveQueue() throws Exception {
      String q = unique("q");
      ch.queueDeclare(q, false, true, false, null);
      try (Connection other = broker.factory().newConnection()) {
        assertThat(channelCloseOf(() -> other.createChannel().queueDeclarePassive(q))).isEqualTo(locked(q));
        assertThat(channelCloseOf(() -> other.createChannel().queueDeclare(q, false, true, false, null)))
            .isEqualTo(locked(q));
        assertThat(channelCloseOf(() -> other.createChannel().basicConsume(q, true, (t, d) -> { }, t -> { })))
            .isEqualTo(locked(q));
        assertThat(channelCloseOf(() -> other.createChannel().basicGet(q, true))).isEqualTo(locked(q));
        assertThat(channelCloseOf(() -> other.createChannel().queuePurge(q))).isEqualTo(locked(q));
        assertThat(channelCloseOf(() -> other.createChannel().queueDelete(q))).isEqualTo(locked(q));
        assertThat(channelCloseOf(() -> other.createChannel().queueBind(q, "amq.fanout", "")))
            .isEqualTo(locked(q));
      }
    }

    @Test
    void anotherConnectionMayUnbindWhatIsNotBoundButNotWhatIs() throws Exception {
      String q = unique("q");
      ch.queueDeclare(q, false, true, false, null);
      ch.queueBind(q, "amq.direct", q);
      try (Connection other = broker.factory().newConnection()) {
        other.createChannel().queueUnbind(q, "amq.direct", "never-bound");
        assertThat(channelCloseOf(() -> other.createChannel().queueUnbind(q, "amq.direct", q)))
            .isEqualTo(locked(q));
      }
    }

    @Test
    void anotherConnectionMayPublishToAnExclusiveQueue() throws Exception {
      String q = unique("q");
      ch.queueDeclare(q, false, true, false, null);
      try (Connection other = broker.factory().newConnection(); Channel och = other.createChannel()) {
        och.basicPublish("", q, null, bytes("from another connection"));
        och.queueDeclare(); // the publish was routed before this
      }
      assertThat(drain(ch, q)).containsExactly("from another connection");
    }

    @Test
    void theOwnerMayUseItsExclusiveQueueFromAnyOfItsChannels() throws Exception {
      String q = unique("q");
      ch.queueDeclare(q, false, true, false, null);
      Channel second = conn.createChannel();
      second.basicPublish("", q, null, bytes("m"));
      assertThat(second.queueDeclarePassive(q).getQueue()).isEqualTo(q);
      assertThat(drain(second, q)).containsExactly("m");
    }

    @Test
    void redeclaringAnExclusiveQueueAsNonExclusiveIs405() {
      String q = unique("q");
      assertThat(channelCloseOf(() -> {
        ch.queueDeclare(q, false, true, false, null);
        ch.queueDeclare(q, false, false, false, null);
      })).isEqualTo(locked(q));
    }

    @Test
    void redeclaringANonExclusiveQueueAsExclusiveIs405() {
      String q = unique("q");
      assertThat(channelCloseOf(() -> {
        ch.queueDeclare(q, false, false, true, null);
        ch.queueDeclare(q, false, true, true, null);
      })).isEqualTo(locked(q));
    }

    @Test
    void anExclusiveQueueIsDeletedWhenItsConnectionCloses() throws Exception {
      String q = unique("q");
      try (Connection owner = broker.factory().newConnection()) {
        owner.createChannel().queueDeclare(q, false, true, false, null);
        assertThat(exists(q)).isTrue();
      }
      eventually("exclusive queue " + q + " is gone", () -> {
        try {
          return !exists(q);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    }

    @Test
    void theBindingsOfAnExclusiveQueueGoWithItAndAutoDeleteExchangesFollow() throws Exception {
      String q = unique("q");
      String x = unique("x");
      ch.exchangeDeclare(x, "fanout", false, true, null);
      try (Connection owner = broker.factory().newConnection()) {
        Channel och = owner.createChannel();
        och.queueDeclare(q, false, true, false, null);
        och.queueBind(q, x, "");
      }
      eventually("auto-delete exchange " + x + " is gone with the exclusive queue's binding", () -> {
        try (Channel probe = conn.createChannel()) {
          probe.exchangeDeclarePassive(x);
          return false;
        } catch (IOException e) {
          return true;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      assertThat(exists(q)).isFalse();
    }

    @Test
    void anExclusiveQueueOutlivesTheChannelThatDeclaredIt() throws Exception {
      String q = unique("q");
      Channel declaring = conn.createChannel();
      declaring.queueDeclare(q, false, true, false, null);
      declaring.close();
      assertThat(ch.queueDeclarePassive(q).getQueue()).isEqualTo(q);
    }
  }

  @Nested
  class AutoDelete {
    @Test
    void anAutoDeleteQueueThatNeverHadAConsumerStays() throws Exception {
      String q = unique("q");
      try (Connection c = broker.factory().newConnection()) {
        c.createChannel().queueDeclare(q, false, false, true, null);
      }
      assertThat(exists(q)).isTrue();
      ch.queueDelete(q);
    }

    @Test
    void anAutoDeleteQueueIsDeletedWhenItsLastConsumerCancels() throws Exception {
      String q = unique("q");
      ch.queueDeclare(q, false, false, true, null);
      String t1 = ch.basicConsume(q, true, (tag, d) -> { }, tag -> { });
      String t2 = ch.basicConsume(q, true, (tag, d) -> { }, tag -> { });
      ch.basicCancel(t1);
      assertThat(exists(q)).isTrue();
      ch.basicCancel(t2);
      eventually("auto-delete queue " + q + " is gone", () -> {
        try {
          return !exists(q);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    }

    @Test
    void anAutoDeleteQueueIsDeletedWhenItsConsumersChannelCloses() throws Exception {
      String q = unique("q");
      ch.queueDeclare(q, false, false, true, null);
      Channel consumer = conn.createChannel();
      consumer.basicConsume(q, false, (tag, d) -> { }, tag -> { });
      consumer.close();
      eventually("auto-delete queue " + q + " is gone", () -> {
        try {
          return !exists(q);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    }

    @Test
    void basicGetDoesNotCountAsAConsumer() throws Exception {
      String q = unique("q");
      ch.queueDeclare(q, false, false, true, null);
      ch.basicPublish("", q, null, bytes("m"));
      GetResponse r = ch.basicGet(q, false);
      ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
      assertThat(exists(q)).isTrue();
      ch.queueDelete(q);
    }
  }

  @Nested
  class EmptyNameShortcut {
    @Test
    void theEmptyNameMeansTheQueueLastDeclaredOnTheChannel() throws Exception {
      String q = ch.queueDeclare().getQueue();
      ch.queueBind("", "amq.direct", "");
      ch.basicPublish("amq.direct", q, null, bytes("bound with the queue's name as key"));
      ch.basicPublish("", q, null, bytes("direct"));
      GetResponse first = ch.basicGet("", true);
      assertThat(new String(first.getBody())).isEqualTo("bound with the queue's name as key");
      assertThat(ch.queuePurge("").getMessageCount()).isEqualTo(1);
      ch.queueUnbind("", "amq.direct", "");
      ch.basicPublish("amq.direct", q, null, bytes("unbound"));
      assertThat(ch.queueDelete("").getMessageCount()).isZero();
      assertThat(exists(q)).isFalse();
    }

    @Test
    void consumingTheEmptyNameConsumesTheLastDeclaredQueue() throws Exception {
      String q = ch.queueDeclare().getQueue();
      LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
      DeliverCallback cb = (tag, d) -> got.add(d.getEnvelope().getRoutingKey());
      ch.basicConsume("", true, cb, tag -> { });
      ch.basicPublish("", q, null, bytes("m"));
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo(q);
    }

    @Test
    void aServerNamedQueueDeclaredWithNowaitIsReachableByTheShortcut() throws Exception {
      ch.queueDeclareNoWait("", false, true, true, null);
      ch.queueBind("", "amq.fanout", "");
      LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
      ch.basicConsume("", true, (tag, d) -> got.add(new String(d.getBody())), tag -> { });
      ch.basicPublish("amq.fanout", "", null, bytes("via the shortcut"));
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("via the shortcut");
    }

    @Test
    void theEmptyNameOnAChannelThatDeclaredNothingIs404() {
      assertThat(channelCloseOf(() -> ch.queuePurge("")))
          .isEqualTo("404 NOT_FOUND - no previously declared queue");
    }

    @Test
    void theShortcutIsPerChannel() throws Exception {
      ch.queueDeclare();
      Channel other = conn.createChannel();
      assertThat(channelCloseOf(() -> other.basicGet("", true)))
          .isEqualTo("404 NOT_FOUND - no previously declared queue");
    }

    @Test
    void aPassiveDeclareOfTheEmptyNameIsNotExpanded() throws Exception {
      ch.queueDeclare();
      assertThat(channelCloseOf(() -> ch.queueDeclarePassive("")))
          .isEqualTo("404 NOT_FOUND - no queue '' in vhost '/'");
    }
  }
}
