package io.warrenmq.it.consume;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** basic.get: get-ok with the remaining message count, get-empty, acknowledgement modes. */
class GetIT {
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

  @Test
  void getOkCarriesTheCountOfMessagesLeftBehindIt() throws Exception {
    String q = unique("q");
    ch.queueDeclare(q, false, false, false, null);
    for (int i = 1; i <= 3; i++) {
      ch.basicPublish("", q, null, bytes("m" + i));
    }
    GetResponse r1 = ch.basicGet(q, false);
    assertThat(r1.getMessageCount()).isEqualTo(2);
    assertThat(ch.basicGet(q, true).getMessageCount()).isEqualTo(1);
    assertThat(ch.basicGet(q, false).getMessageCount()).isZero();
    assertThat(ch.basicGet(q, true)).isNull();
    ch.basicNack(r1.getEnvelope().getDeliveryTag(), false, true);
    GetResponse back = ch.basicGet(q, true);
    assertThat(text(back.getBody())).isEqualTo("m1");
    assertThat(back.getMessageCount()).isZero();
  }

  @Test
  void getOkCarriesTheExchangeRoutingKeyPropertiesAndBody() throws Exception {
    String q = ch.queueDeclare().getQueue();
    ch.queueBind(q, "amq.topic", "a.b");
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .contentType("application/json").deliveryMode(2).priority(3).messageId("id-1")
        .headers(Map.of("h", "v")).build();
    ch.basicPublish("amq.topic", "a.b", props, bytes("{}"));
    GetResponse r = ch.basicGet(q, true);
    assertThat(r.getEnvelope().getExchange()).isEqualTo("amq.topic");
    assertThat(r.getEnvelope().getRoutingKey()).isEqualTo("a.b");
    assertThat(r.getEnvelope().isRedeliver()).isFalse();
    assertThat(r.getProps().getContentType()).isEqualTo("application/json");
    assertThat(r.getProps().getDeliveryMode()).isEqualTo(2);
    assertThat(r.getProps().getPriority()).isEqualTo(3);
    assertThat(r.getProps().getMessageId()).isEqualTo("id-1");
    assertThat(r.getProps().getHeaders()).containsOnlyKeys("h");
    assertThat(r.getProps().getHeaders().get("h").toString()).isEqualTo("v");
    assertThat(text(r.getBody())).isEqualTo("{}");
  }

  @Test
  void aMessageTakenWithoutAckIsInvisibleUntilRequeued() throws Exception {
    String q = ch.queueDeclare().getQueue();
    ch.basicPublish("", q, null, bytes("only"));
    GetResponse r = ch.basicGet(q, false);
    assertThat(ch.basicGet(q, false)).isNull();
    assertThat(ch.messageCount(q)).isZero();
    ch.basicReject(r.getEnvelope().getDeliveryTag(), true);
    // RabbitMQ answers a queue's counts ahead of its other work: the requeue shows eventually
    io.warrenmq.it.support.Eventually.eventually("the rejected message is ready again", () -> {
      try {
        return ch.messageCount(q) == 1;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(text(ch.basicGet(q, true).getBody())).isEqualTo("only");
  }

  @Test
  void deliveryTagsOfGetsIncreaseByOnePerChannel() throws Exception {
    String q = ch.queueDeclare().getQueue();
    for (int i = 0; i < 3; i++) {
      ch.basicPublish("", q, null, bytes("m"));
    }
    assertThat(ch.basicGet(q, true).getEnvelope().getDeliveryTag()).isEqualTo(1);
    assertThat(ch.basicGet(q, false).getEnvelope().getDeliveryTag()).isEqualTo(2);
    Channel other = conn.createChannel();
    assertThat(other.basicGet(q, true).getEnvelope().getDeliveryTag()).isEqualTo(1);
  }

  @Test
  void getFromAMissingQueueIs404() {
    assertThat(channelCloseOf(() -> ch.basicGet("no-such-q", true)))
        .isEqualTo("404 NOT_FOUND - no queue 'no-such-q' in vhost '/'");
  }
}
