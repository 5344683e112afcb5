package io.warrenmq.it.features;

import static io.warrenmq.it.features.Fixtures.awaitGet;
import static io.warrenmq.it.features.Fixtures.awaitReady;
import static io.warrenmq.it.features.Fixtures.deadLetterTarget;
import static io.warrenmq.it.features.Fixtures.expiring;
import static io.warrenmq.it.features.Fixtures.persistentExpiring;
import static io.warrenmq.it.features.Fixtures.ready;
import static io.warrenmq.it.features.Fixtures.xDeath;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.features.Fixtures.Dlx;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.BrokerProcess;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * WarrenMQ's lead over RabbitMQ: a message with a per-message TTL is dead-lettered at its own
 * deadline wherever it sits in the queue. RabbitMQ only expires messages at the head (its docs:
 * "expired messages will not be removed until they reach the head of the queue"), so every test
 * here fails there: the short-lived message would wait behind the long-lived one.
 */
class TtlWithoutHeadOfLineBlockingIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  @Test
  void aShortLivedMessageBehindALongLivedOneIsDeadLetteredAtItsOwnDeadline() throws Exception {
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      String q = unique("hol");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", dlx.exchange()));
      ch.basicPublish("", q, expiring("60000"), bytes("long"));
      ch.basicPublish("", q, expiring("50"), bytes("short"));
      GetResponse dead = awaitGet(ch, dlx.queue());
      assertThat(text(dead.getBody())).isEqualTo("short");
      Map<String, Object> death = xDeath(dead.getProps()).getFirst();
      assertThat(death.get("reason").toString()).isEqualTo("expired");
      assertThat(death.get("original-expiration").toString()).isEqualTo("50");
      GetResponse head = ch.basicGet(q, true);
      assertThat(text(head.getBody())).isEqualTo("long");
      assertThat(head.getProps().getExpiration()).isEqualTo("60000");
    }
  }

  @Test
  void aShortLivedMessageBehindMessagesWithoutTtlExpiresAndTheirOrderStays() throws Exception {
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      String q = unique("hol-nottl");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", dlx.exchange()));
      ch.basicPublish("", q, null, bytes("a"));
      ch.basicPublish("", q, expiring("50"), bytes("short"));
      ch.basicPublish("", q, null, bytes("b"));
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("short");
      assertThat(drain(ch, q)).containsExactly("a", "b");
    }
  }

  @Test
  void aQueueTtlLoweredByPolicyExpiresNewMessagesBehindOlderLongerLivedOnes() throws Exception {
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      String q = unique("hol-policy");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", dlx.exchange(), "x-message-ttl", 60_000));
      ch.basicPublish("", q, null, bytes("old"));
      awaitReady(ch, q, 1);
      Fixtures.setPolicy(broker, q, "^" + q + "$", io.warrenmq.broker.policy.Policy.ApplyTo.QUEUES, 0,
          Map.of("message-ttl", 50L));
      ch.basicPublish("", q, null, bytes("new"));
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("new");
      assertThat(drain(ch, q)).containsExactly("old");
    }
  }

  @Test
  void messagesAreDeadLetteredInDeadlineOrderNotQueueOrder() throws Exception {
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      String q = unique("hol-order");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", dlx.exchange()));
      ch.basicPublish("", q, expiring("60000"), bytes("keep"));
      for (int ttl : new int[] {400, 300, 200, 100}) {
        ch.basicPublish("", q, expiring(Integer.toString(ttl)), bytes("ttl" + ttl));
      }
      awaitReady(ch, dlx.queue(), 4);
      assertThat(drain(ch, dlx.queue())).containsExactly("ttl100", "ttl200", "ttl300", "ttl400");
      assertThat(drain(ch, q)).containsExactly("keep");
    }
  }

  @Test
  void theDeadlineSurvivesARestartBehindALongLivedMessage() throws Exception {
    String q = unique("hol-restart");
    String dlxName = q + ".dlx";
    String dead = q + ".dead";
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare(dlxName, "fanout", true);
      ch.queueDeclare(dead, true, false, false, null);
      ch.queueBind(dead, dlxName, "");
      ch.queueDeclare(q, true, false, false, Map.of("x-dead-letter-exchange", dlxName));
      ch.confirmSelect();
      ch.basicPublish("", q, persistentExpiring("60000"), bytes("long"));
      ch.basicPublish("", q, persistentExpiring("150"), bytes("short, due around the restart"));
      ch.basicPublish("", q, persistentExpiring("2500"), bytes("short, due after the restart"));
      ch.basicPublish("", q, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), bytes("no ttl"));
      assertThat(ch.waitForConfirms(5000)).isTrue();
    }
    broker.restart();
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      awaitReady(ch, dead, 2);
      assertThat(drain(ch, dead)).containsExactly("short, due around the restart", "short, due after the restart");
      assertThat(ready(ch, q)).isEqualTo(2);
      assertThat(drain(ch, q)).containsExactly("long", "no ttl");
    }
  }

  @Test
  void theDeadlineSurvivesAKillNineBehindALongLivedMessage(@TempDir Path tmp) throws Exception {
    try (BrokerProcess process = new BrokerProcess(tmp.resolve("data")).start()) {
      ConnectionFactory f = broker.factory();
      f.setPort(process.port());
      try (Connection c = f.newConnection()) {
        Channel ch = c.createChannel();
        ch.exchangeDeclare("hol.dlx", "fanout", true);
        ch.queueDeclare("hol.dead", true, false, false, null);
        ch.queueBind("hol.dead", "hol.dlx", "");
        ch.queueDeclare("hol.kill", true, false, false, Map.of("x-dead-letter-exchange", "hol.dlx"));
        ch.confirmSelect();
        ch.basicPublish("", "hol.kill", persistentExpiring("60000"), bytes("long"));
        ch.basicPublish("", "hol.kill", persistentExpiring("1500"), bytes("short"));
        assertThat(ch.waitForConfirms(5000)).isTrue();
        assertThat(ready(ch, "hol.dead")).isZero();
      }
      process.kill();
      process.start();
      try (Connection c = f.newConnection()) {
        Channel ch = c.createChannel();
        GetResponse dead = awaitGet(ch, "hol.dead");
        assertThat(text(dead.getBody())).isEqualTo("short");
        assertThat(xDeath(dead.getProps()).getFirst().get("reason").toString()).isEqualTo("expired");
        assertThat(drain(ch, "hol.kill")).containsExactly("long");
      }
    }
  }

  @Test
  void aRequeuedMessageKeepsItsDeadlineBehindALongLivedOne() throws Exception {
    try (Connection c = broker.factory().newConnection()) {
      Channel ch = c.createChannel();
      String q = unique("hol-requeue");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", dlx.exchange()));
      ch.basicPublish("", q, expiring("60000"), bytes("long"));
      ch.basicPublish("", q, expiring("200"), bytes("short"));
      awaitReady(ch, q, 2);
      GetResponse first = ch.basicGet(q, false);
      GetResponse second = ch.basicGet(q, false);
      assertThat(text(second.getBody())).isEqualTo("short");
      ch.basicNack(second.getEnvelope().getDeliveryTag(), true, true);
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("short");
      assertThat(text(first.getBody())).isEqualTo("long");
      GetResponse again = ch.basicGet(q, true);
      assertThat(text(again.getBody())).isEqualTo("long");
      assertThat(again.getEnvelope().isRedeliver()).isTrue();
    }
  }
}
