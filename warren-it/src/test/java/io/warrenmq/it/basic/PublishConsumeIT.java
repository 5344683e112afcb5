package io.warrenmq.it.basic;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PublishConsumeIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  @Test
  void aPublishedMessageIsConsumedWithItsPropertiesAndBody() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      String q = ch.queueDeclare().getQueue();
      AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
          .contentType("text/plain").correlationId("c-1").headers(Map.of("k", "v")).build();
      ch.basicPublish("", q, props, "hello".getBytes(StandardCharsets.UTF_8));
      BlockingQueue<String> got = new ArrayBlockingQueue<>(1);
      ch.basicConsume(q, true, (tag, d) -> got.add(new String(d.getBody(), StandardCharsets.UTF_8)
          + "|" + d.getProperties().getContentType() + "|" + d.getProperties().getCorrelationId()
          + "|" + d.getProperties().getHeaders().get("k")), tag -> { });
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("hello|text/plain|c-1|v");
    }
  }

  @Test
  void basicGetReturnsMessagesInOrderThenEmpty() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      String q = ch.queueDeclare().getQueue();
      for (String s : List.of("a", "b", "c")) {
        ch.basicPublish("", q, null, s.getBytes(StandardCharsets.UTF_8));
      }
      GetResponse first = ch.basicGet(q, true);
      assertThat(new String(first.getBody(), StandardCharsets.UTF_8)).isEqualTo("a");
      assertThat(first.getMessageCount()).isEqualTo(2);
      assertThat(new String(ch.basicGet(q, true).getBody(), StandardCharsets.UTF_8)).isEqualTo("b");
      assertThat(new String(ch.basicGet(q, true).getBody(), StandardCharsets.UTF_8)).isEqualTo("c");
      assertThat(ch.basicGet(q, true)).isNull();
    }
  }
}
