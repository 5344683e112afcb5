package io.warrenmq.it.exchange;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import io.warrenmq.it.support.BrokerExtension;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** basic.publish mandatory: unroutable messages come back as basic.return 312 NO_ROUTE. */
class MandatoryIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;
  final LinkedBlockingQueue<Return> returns = new LinkedBlockingQueue<>();

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    ch.addReturnListener(returns::add);
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  @Test
  void anUnroutableMandatoryMessageIsReturnedWithItsContent() throws Exception {
    String x = unique("x");
    ch.exchangeDeclare(x, "direct");
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .correlationId("c-1").headers(Map.of("h", 1)).build();
    ch.basicPublish(x, "nowhere", true, props, bytes("back"));
    Return r = returns.poll(10, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.getReplyCode()).isEqualTo(312);
    assertThat(r.getReplyText()).isEqualTo("NO_ROUTE");
    assertThat(r.getExchange()).isEqualTo(x);
    assertThat(r.getRoutingKey()).isEqualTo("nowhere");
    assertThat(r.getProperties().getCorrelationId()).isEqualTo("c-1");
    assertThat(r.getProperties().getHeaders()).containsEntry("h", 1);
    assertThat(text(r.getBody())).isEqualTo("back");
  }

  @Test
  void aMandatoryMessageToAMissingQueueThroughTheDefaultExchangeIsReturned() throws Exception {
    ch.basicPublish("", unique("no-such-q"), true, null, bytes("back"));
    Return r = returns.poll(10, TimeUnit.SECONDS);
    assertThat(r.getReplyCode()).isEqualTo(312);
    assertThat(r.getExchange()).isEmpty();
  }

  @Test
  void aRoutedMandatoryMessageIsNotReturned() throws Exception {
    String q = ch.queueDeclare().getQueue();
    ch.basicPublish("", q, true, null, bytes("kept"));
    ch.basicPublish("", unique("nowhere"), true, null, bytes("marker"));
    assertThat(text(returns.poll(10, TimeUnit.SECONDS).getBody())).isEqualTo("marker");
    assertThat(returns).isEmpty();
    assertThat(drain(ch, q)).containsExactly("kept");
  }

  @Test
  void anUnroutableMessageWithoutMandatoryIsDroppedSilently() throws Exception {
    ch.basicPublish("amq.direct", "nowhere", false, null, bytes("dropped"));
    ch.basicPublish("amq.direct", "nowhere", true, null, bytes("marker"));
    assertThat(text(returns.poll(10, TimeUnit.SECONDS).getBody())).isEqualTo("marker");
    assertThat(returns).isEmpty();
  }

  @Test
  void immediateIsNotImplementedAndClosesTheConnectionWith540() {
    assertThat(io.warrenmq.it.support.Messaging.connectionCloseOf(() -> {
      ch.basicPublish("amq.direct", "k", false, true, null, bytes("m"));
      ch.queueDeclare();
    })).isEqualTo("540 NOT_IMPLEMENTED - immediate=true");
  }

  @Test
  void returnsComeInPublishOrder() throws Exception {
    String x = unique("x");
    ch.exchangeDeclare(x, "fanout");
    for (int i = 1; i <= 5; i++) {
      ch.basicPublish(x, "", true, null, bytes("r" + i));
    }
    for (int i = 1; i <= 5; i++) {
      assertThat(text(returns.poll(10, TimeUnit.SECONDS).getBody())).isEqualTo("r" + i);
    }
  }
}
