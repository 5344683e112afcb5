package io.warrenmq.it.features;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Command;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.TrafficListener;
import io.warrenmq.it.support.BrokerExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer cancel notification (RabbitMQ's consumer_cancel_notify capability): when a queue is
 * deleted, by a client or an operator, each of its consumers gets basic.cancel on its own channel,
 * which stays open; consumers of other queues on that channel carry on. The channel that deletes
 * the queue gets queue.delete-ok before the cancel of its own consumer, as from RabbitMQ, whose
 * channel handles the queue's end only after answering the method it is busy with.
 */
class ConsumerCancelNotificationIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;
  String q;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    q = unique("cancel");
    ch.queueDeclare(q, false, false, false, null);
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  @Test
  void everyConsumerOfADeletedQueueIsCancelledAndItsChannelKeepsServingOtherQueues() throws Exception {
    String other = unique("cancel-other");
    ch.queueDeclare(other, false, false, false, null);
    Recorder gone = new Recorder(ch);
    Recorder stays = new Recorder(ch);
    String goneTag = ch.basicConsume(q, true, gone);
    ch.basicConsume(other, true, stays);
    try (Connection second = broker.factory().newConnection()) {
      Channel secondCh = second.createChannel();
      Recorder remote = new Recorder(secondCh);
      String remoteTag = secondCh.basicConsume(q, true, remote);
      secondCh.queueDelete(q);
      assertThat(remote.cancelled()).isEqualTo(remoteTag);
      assertThat(gone.cancelled()).isEqualTo(goneTag);
      assertThat(secondCh.isOpen()).isTrue();
    }
    ch.basicPublish("", other, null, bytes("still here"));
    assertThat(stays.bodies(1)).containsExactly("still here");
    assertThat(stays.cancels).isEmpty();
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void aQueueDeletedByAnOperatorCancelsItsConsumers() throws Exception {
    Recorder r = new Recorder(ch);
    String tag = ch.basicConsume(q, true, r);
    Ctl.ok(broker, "delete_queue", q);
    assertThat(r.cancelled()).isEqualTo(tag);
    // the tag is free again, and a new queue of the same name can be consumed
    ch.queueDeclare(q, false, false, false, null);
    Recorder again = new Recorder(ch);
    ch.basicConsume(q, true, tag, again);
    ch.basicPublish("", q, null, bytes("m"));
    assertThat(again.bodies(1)).containsExactly("m");
  }

  @ParameterizedTest(name = "durable={0}")
  @ValueSource(booleans = {false, true})
  void theDeletingChannelGetsDeleteOkBeforeTheCancelOfItsOwnConsumer(boolean durable) throws Exception {
    // the frames in the order they came off the socket (callbacks run on another thread)
    List<String> inbound = new CopyOnWriteArrayList<>();
    ConnectionFactory f = broker.factory();
    f.setTrafficListener(new TrafficListener() {
      @Override
      public void write(Command outbound) {}

      @Override
      public void read(Command command) {
        inbound.add(command.getMethod().protocolMethodName());
      }
    });
    try (Connection c = f.newConnection()) {
      Channel own = c.createChannel();
      String name = unique("cancel-order");
      own.queueDeclare(name, durable, false, false, null);
      Recorder r = new Recorder(own);
      String tag = own.basicConsume(name, true, r);
      own.queueDelete(name);
      assertThat(r.cancelled()).isEqualTo(tag);
      assertThat(inbound.stream().filter(m -> m.equals("queue.delete-ok") || m.equals("basic.cancel")))
          .containsExactly("queue.delete-ok", "basic.cancel");
      // the channel goes on as before
      own.queueDeclare(name, false, false, true, null);
      own.basicConsume(name, true, tag, new Recorder(own));
      assertThat(own.isOpen()).isTrue();
    }
  }
}
