package io.warrenmq.it.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.Eventually;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FeaturesSmokeIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  private static String text(GetResponse r) {
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }

  @Test
  void anExpiredMessageIsDeadLetteredWithXDeathEvenBehindALongerLivedOne() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.exchangeDeclare("dlx.smoke", "fanout");
      ch.queueDeclare("dead.smoke", false, false, false, null);
      ch.queueBind("dead.smoke", "dlx.smoke", "");
      ch.queueDeclare("ttl.smoke", false, false, false, Map.of("x-dead-letter-exchange", "dlx.smoke"));
      ch.basicPublish("", "ttl.smoke", new AMQP.BasicProperties.Builder().expiration("60000").build(), "long".getBytes());
      ch.basicPublish("", "ttl.smoke", new AMQP.BasicProperties.Builder().expiration("50").build(), "short".getBytes());
      Eventually.eventually("the short-lived message is dead-lettered", () -> {
        try {
          return ch.queueDeclarePassive("dead.smoke").getMessageCount() == 1;
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      GetResponse r = ch.basicGet("dead.smoke", true);
      assertThat(text(r)).isEqualTo("short");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> deaths = (List<Map<String, Object>>) r.getProps().getHeaders().get("x-death");
      assertThat(deaths).hasSize(1);
      assertThat(deaths.getFirst().get("reason").toString()).isEqualTo("expired");
      assertThat(deaths.getFirst().get("queue").toString()).isEqualTo("ttl.smoke");
      assertThat(deaths.getFirst().get("original-expiration").toString()).isEqualTo("50");
      assertThat(r.getProps().getExpiration()).isNull();
      assertThat(ch.queueDeclarePassive("ttl.smoke").getMessageCount()).isEqualTo(1);
    }
  }

  @Test
  void maxLengthDropsTheHeadAndRejectPublishNacks() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("ml.smoke", false, false, false, Map.of("x-max-length", 2));
      for (String s : List.of("a", "b", "c")) {
        ch.basicPublish("", "ml.smoke", null, s.getBytes());
      }
      assertThat(text(ch.basicGet("ml.smoke", true))).isEqualTo("b");
      ch.queueDeclare("rp.smoke", false, false, false, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
      ch.confirmSelect();
      ch.basicPublish("", "rp.smoke", null, "1".getBytes());
      assertThat(ch.waitForConfirms(5000)).isTrue();
      ch.basicPublish("", "rp.smoke", null, "2".getBytes());
      assertThat(ch.waitForConfirms(5000)).isFalse();
    }
  }

  @Test
  void higherPriorityMessagesComeFirst() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("prio.smoke", false, false, false, Map.of("x-max-priority", 10));
      for (int p : new int[] {1, 5, 3, 9}) {
        ch.basicPublish("", "prio.smoke", new AMQP.BasicProperties.Builder().priority(p).build(), ("p" + p).getBytes());
      }
      assertThat(text(ch.basicGet("prio.smoke", true))).isEqualTo("p9");
      assertThat(text(ch.basicGet("prio.smoke", true))).isEqualTo("p5");
      assertThat(text(ch.basicGet("prio.smoke", true))).isEqualTo("p3");
      assertThat(text(ch.basicGet("prio.smoke", true))).isEqualTo("p1");
    }
  }

  @Test
  void aDelayedMessageIsRoutedAfterItsDelay() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.exchangeDeclare("delayed.smoke", "x-delayed-message", true, false, Map.of("x-delayed-type", "direct"));
      ch.queueDeclare("delayed.q", false, false, false, null);
      ch.queueBind("delayed.q", "delayed.smoke", "k");
      ch.basicPublish("delayed.smoke", "k", new AMQP.BasicProperties.Builder().headers(Map.of("x-delay", 300)).build(),
          "later".getBytes());
      ch.basicPublish("delayed.smoke", "k", null, "now".getBytes());
      assertThat(text(ch.basicGet("delayed.q", true))).isEqualTo("now");
      assertThat(ch.basicGet("delayed.q", true)).isNull();
      Eventually.eventually("the delayed message arrives", () -> {
        try {
          return ch.queueDeclarePassive("delayed.q").getMessageCount() == 1;
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      assertThat(text(ch.basicGet("delayed.q", true))).isEqualTo("later");
    }
  }

  @Test
  void aPolicyLimitsAnExistingQueue() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("pol.smoke", false, false, false, null);
      for (int i = 0; i < 5; i++) {
        ch.basicPublish("", "pol.smoke", null, ("m" + i).getBytes());
      }
      broker.server().broker().setPolicy(new io.warrenmq.broker.policy.Policy("/", "cap", "^pol\\.", 
          io.warrenmq.broker.policy.Policy.ApplyTo.QUEUES, 0,
          io.warrenmq.amqp.types.FieldTable.of(Map.of("max-length", 2L)), false));
      assertThat(ch.queueDeclarePassive("pol.smoke").getMessageCount()).isEqualTo(2);
      assertThat(text(ch.basicGet("pol.smoke", true))).isEqualTo("m3");
    }
  }
}
