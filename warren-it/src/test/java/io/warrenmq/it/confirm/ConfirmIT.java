package io.warrenmq.it.confirm;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.warrenmq.it.support.BrokerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Publisher confirms (RabbitMQ's confirm.select): every publish is acked exactly once, acks may
 * cover several publishes (multiple=true), persistent messages in durable queues and unroutable
 * messages are confirmed too, and confirm mode excludes transactions.
 */
class ConfirmIT {
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

  /** Expands (multiple) acks and nacks into the sequence numbers they confirm, each once. */
  static final class Counting implements ConfirmListener {
    final ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
    final List<String> problems = new ArrayList<>();
    final List<Long> nacked = new ArrayList<>();

    @Override
    public synchronized void handleAck(long tag, boolean multiple) {
      if (multiple) {
        for (long t = 1; t <= tag; t++) {
          acked.add(t);
        }
      } else if (!acked.add(tag)) {
        problems.add("acked twice: " + tag);
      }
    }

    @Override
    public synchronized void handleNack(long tag, boolean multiple) {
      nacked.add(tag);
    }
  }

  @Test
  void everyPublishIsAckedOnce() throws Exception {
    String q = ch.queueDeclare().getQueue();
    ch.confirmSelect();
    Counting counting = new Counting();
    ch.addConfirmListener(counting);
    assertThat(ch.getNextPublishSeqNo()).isEqualTo(1);
    for (int i = 0; i < 200; i++) {
      ch.basicPublish("", q, null, bytes("m" + i));
    }
    assertThat(ch.getNextPublishSeqNo()).isEqualTo(201);
    ch.waitForConfirmsOrDie(10_000);
    assertThat(counting.acked).containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
    assertThat(counting.problems).isEmpty();
    assertThat(counting.nacked).isEmpty();
    assertThat(ch.messageCount(q)).isEqualTo(200);
  }

  @Test
  void persistentMessagesInADurableQueueAreConfirmed() throws Exception {
    String q = unique("durable-q");
    ch.queueDeclare(q, true, false, false, null);
    ch.confirmSelect();
    Counting counting = new Counting();
    ch.addConfirmListener(counting);
    for (int i = 0; i < 50; i++) {
      ch.basicPublish("", q, MessageProperties.PERSISTENT_TEXT_PLAIN, bytes("p" + i));
    }
    ch.waitForConfirmsOrDie(10_000);
    assertThat(counting.acked).hasSize(50).last().isEqualTo(50L);
    assertThat(counting.nacked).isEmpty();
    assertThat(ch.messageCount(q)).isEqualTo(50);
    ch.queueDelete(q);
  }

  @Test
  void aMessageRoutedToSeveralQueuesIsAckedOnce() throws Exception {
    String x = unique("x");
    ch.exchangeDeclare(x, "fanout", true);
    String durable = unique("durable-q");
    ch.queueDeclare(durable, true, false, false, null);
    ch.queueBind(durable, x, "");
    ch.queueBind(ch.queueDeclare().getQueue(), x, "");
    ch.queueBind(ch.queueDeclare().getQueue(), x, "");
    ch.confirmSelect();
    Counting counting = new Counting();
    ch.addConfirmListener(counting);
    ch.basicPublish(x, "", MessageProperties.PERSISTENT_BASIC, bytes("fan"));
    ch.basicPublish(x, "", null, bytes("fan-transient"));
    ch.waitForConfirmsOrDie(10_000);
    assertThat(counting.acked).containsExactly(1L, 2L);
    assertThat(counting.problems).isEmpty();
    ch.queueDelete(durable);
    ch.exchangeDelete(x);
  }

  @Test
  void unroutableMessagesAreConfirmed() throws Exception {
    ch.confirmSelect();
    Counting counting = new Counting();
    ch.addConfirmListener(counting);
    ch.basicPublish("amq.direct", unique("nowhere"), null, bytes("lost"));
    ch.basicPublish("", unique("no-such-q"), MessageProperties.PERSISTENT_BASIC, bytes("lost"));
    ch.waitForConfirmsOrDie(10_000);
    assertThat(counting.acked).containsExactly(1L, 2L);
    assertThat(counting.nacked).isEmpty();
  }

  @Test
  void anUnroutableMandatoryMessageIsReturnedBeforeItIsAcked() throws Exception {
    ch.confirmSelect();
    LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    ch.addReturnListener(r -> events.add("return " + r.getReplyCode()));
    ch.addConfirmListener((tag, multiple) -> events.add("ack " + tag), (tag, multiple) -> events.add("nack " + tag));
    ch.basicPublish("amq.direct", unique("nowhere"), true, null, bytes("back"));
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("return 312");
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ack 1");
  }

  @Test
  void eachChannelNumbersItsPublishesFromOne() throws Exception {
    String q = ch.queueDeclare().getQueue();
    Channel other = conn.createChannel();
    ch.confirmSelect();
    other.confirmSelect();
    Counting a = new Counting();
    Counting b = new Counting();
    ch.addConfirmListener(a);
    other.addConfirmListener(b);
    for (int i = 0; i < 3; i++) {
      ch.basicPublish("", q, null, bytes("a"));
    }
    other.basicPublish("", q, null, bytes("b"));
    ch.waitForConfirmsOrDie(10_000);
    other.waitForConfirmsOrDie(10_000);
    assertThat(a.acked).containsExactly(1L, 2L, 3L);
    assertThat(b.acked).containsExactly(1L);
  }

  @Test
  void selectingConfirmsTwiceIsAllowed() throws Exception {
    ch.confirmSelect();
    ch.confirmSelect();
    ch.basicPublish("amq.direct", "k", null, bytes("m"));
    ch.waitForConfirmsOrDie(10_000);
  }

  @Test
  void aNowaitConfirmSelectAlsoConfirmsFromOne() throws Exception {
    Counting counting = new Counting();
    ch.addConfirmListener(counting);
    ch.asyncRpc(new com.rabbitmq.client.impl.AMQImpl.Confirm.Select(true));
    for (int i = 0; i < 3; i++) {
      ch.basicPublish("amq.direct", "k", null, bytes("m"));
    }
    io.warrenmq.it.support.Eventually.eventually("three acks", () -> counting.acked.size() == 3);
    assertThat(counting.acked).containsExactly(1L, 2L, 3L);
    assertThat(counting.problems).isEmpty();
  }

  @Test
  void confirmSelectOnATransactionalChannelIs406() {
    assertThat(channelCloseOf(() -> {
      ch.txSelect();
      ch.confirmSelect();
    })).isEqualTo("406 PRECONDITION_FAILED - cannot switch from tx to confirm mode");
  }

  @Test
  void txSelectOnAConfirmChannelIs406() {
    assertThat(channelCloseOf(() -> {
      ch.confirmSelect();
      ch.txSelect();
    })).isEqualTo("406 PRECONDITION_FAILED - cannot switch from confirm to tx mode");
  }

  @Test
  void persistentMessagesAreConfirmedWithWaitForConfirms() throws Exception {
    String q = unique("durable-q");
    ch.queueDeclare(q, true, false, false, null);
    ch.confirmSelect();
    for (int i = 0; i < 20; i++) {
      ch.basicPublish("", q, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), bytes("p"));
      if (i % 5 == 4) {
        assertThat(ch.waitForConfirms(10_000)).isTrue();
      }
    }
    assertThat(ch.messageCount(q)).isEqualTo(20);
    ch.queueDelete(q);
  }
}
