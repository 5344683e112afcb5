package io.warrenmq.it.features;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exclusive consumers (basic.consume exclusive=true), as RabbitMQ: while one holds the queue,
 * basic.consume from any connection is 403 "in exclusive use" (closing only that channel); the
 * queue is free again when the exclusive consumer's channel goes; basic.get is not affected.
 */
class ExclusiveConsumerIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;
  String q;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    q = unique("excl");
    ch.queueDeclare(q, false, false, false, null);
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  String inExclusiveUse() {
    return "403 ACCESS_REFUSED - queue '" + q + "' in vhost '/' in exclusive use";
  }

  @Test
  void aConsumerFromAnotherConnectionIsRefusedAndTheExclusiveOneKeepsReceiving() throws Exception {
    Recorder exclusive = new Recorder(ch);
    ch.basicConsume(q, true, "", false, true, Map.of(), exclusive);
    try (Connection other = broker.factory().newConnection()) {
      Channel otherCh = other.createChannel();
      assertThat(channelCloseOf(() -> otherCh.basicConsume(q, true, new Recorder(otherCh)))).isEqualTo(inExclusiveUse());
      assertThat(other.isOpen()).isTrue();
    }
    ch.basicPublish("", q, null, bytes("m1"));
    assertThat(exclusive.bodies(1)).containsExactly("m1");
  }

  @Test
  void aSecondExclusiveConsumerOnTheSameChannelIsRefused() throws Exception {
    ch.basicConsume(q, true, "", false, true, Map.of(), new Recorder(ch));
    assertThat(channelCloseOf(() -> ch.basicConsume(q, true, "", false, true, Map.of(), new Recorder(ch))))
        .isEqualTo(inExclusiveUse());
  }

  @Test
  void whenTheExclusiveConsumersChannelClosesOthersMayConsume() throws Exception {
    Channel holder = conn.createChannel();
    holder.basicConsume(q, true, "", false, true, Map.of(), new Recorder(holder));
    holder.close();
    Recorder next = new Recorder(ch);
    ch.basicConsume(q, true, next);
    ch.basicPublish("", q, null, bytes("m1"));
    assertThat(next.bodies(1)).containsExactly("m1");
  }

  @Test
  void basicGetFromAnotherChannelStillTakesMessages() throws Exception {
    Channel holder = conn.createChannel();
    holder.basicQos(1);
    Recorder exclusive = new Recorder(holder);
    holder.basicConsume(q, false, "", false, true, Map.of(), exclusive);
    ch.basicPublish("", q, null, bytes("m1"));
    ch.basicPublish("", q, null, bytes("m2"));
    assertThat(exclusive.bodies(1)).containsExactly("m1");
    Channel other = conn.createChannel();
    GetResponse r = other.basicGet(q, true);
    assertThat(r).isNotNull();
    assertThat(text(r.getBody())).isEqualTo("m2");
  }
}
