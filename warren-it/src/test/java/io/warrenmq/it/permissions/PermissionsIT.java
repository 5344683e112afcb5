package io.warrenmq.it.permissions;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RabbitMQ's access table: which of configure, write and read each AMQP operation needs, on which
 * resource, and the channel.close 403 with RabbitMQ's text when it is refused.
 *
 * <p>The texts are RabbitMQ 3.13.7's (rabbit_access_control, the permission named first since
 * 3.12). Passive declarations need some permission on the resource, as from RabbitMQ 4.2.7;
 * 3.13.7 let them through without any check (docs/protocol.md says why we keep the check).
 *
 * <p>Every test makes its own user and names its resources with a prefix: {@code c-} resources
 * are configurable, {@code w-} writable and {@code r-} readable by that user; guest (all rights)
 * prepares what the user does not create itself.
 */
class PermissionsIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection admin;
  Channel adminCh;
  String user;
  Connection conn;
  Channel ch;

  @BeforeEach
  void open() throws Exception {
    admin = broker.factory().newConnection();
    adminCh = admin.createChannel();
  }

  @AfterEach
  void close() {
    admin.abort();
    if (conn != null) {
      conn.abort();
    }
  }

  /** Connects as a fresh user with the given permissions on vhost "/". */
  Channel as(String configure, String write, String read) throws Exception {
    user = unique("user");
    broker.server().broker().addUser(user, "pw", List.of());
    broker.server().broker().setPermission(user, "/", new Permission(configure, write, read));
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword("pw");
    conn = f.newConnection();
    ch = conn.createChannel();
    return ch;
  }

  /**
   * RabbitMQ's text since 3.12 names the permission ("configure access to queue 'q' ..."); up to
   * 3.11 it said only "access to queue 'q' ...".
   */
  String refused(String permission, String kind, String name) {
    return "403 ACCESS_REFUSED - " + permission + " access to " + kind + " '" + name
        + "' in vhost '/' refused for user '" + user + "'";
  }

  String queue(String prefix) throws Exception {
    String q = unique(prefix);
    adminCh.queueDeclare(q, false, false, false, null);
    return q;
  }

  String exchange(String prefix) throws Exception {
    String x = unique(prefix);
    adminCh.exchangeDeclare(x, "direct");
    return x;
  }

  @Nested
  class Configure {
    @Test
    void declaringAQueueNeedsConfigureOnIt() throws Exception {
      as("^c-", ".*", ".*");
      String ok = unique("c-q");
      ch.queueDeclare(ok, false, false, true, null);
      String no = unique("w-q");
      assertThat(channelCloseOf(() -> ch.queueDeclare(no, false, false, true, null)))
          .isEqualTo(refused("configure", "queue", no));
    }

    @Test
    void aServerNamedQueueIsCheckedByItsGeneratedName() throws Exception {
      as("^c-", ".*", ".*");
      String message = channelCloseOf(() -> ch.queueDeclare());
      assertThat(message).matches("403 ACCESS_REFUSED - configure access to queue"
          + " 'amq\\.gen-[A-Za-z0-9_-]{22}' in vhost '/' refused for user '" + user + "'");
    }

    @Test
    void aPassiveDeclareNeedsNoConfigure() throws Exception {
      String q = queue("r-q");
      String x = exchange("r-x");
      as("", "", "^r-");
      assertThat(ch.queueDeclarePassive(q).getQueue()).isEqualTo(q);
      ch.exchangeDeclarePassive(x);
      assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aPassiveDeclareWithoutAnyPermissionOnTheNameIsRefusedAsConfigure() throws Exception {
      String q = queue("w-q");
      as("", "", "^r-");
      assertThat(channelCloseOf(() -> ch.queueDeclarePassive(q)))
          .isEqualTo(refused("configure", "queue", q));
    }

    @Test
    void deletingAQueueNeedsConfigureOnIt() throws Exception {
      String q = queue("w-q");
      as("^c-", ".*", ".*");
      assertThat(channelCloseOf(() -> ch.queueDelete(q))).isEqualTo(refused("configure", "queue", q));
      assertThat(adminCh.queueDeclarePassive(q).getQueue()).isEqualTo(q);
    }

    @Test
    void declaringAndDeletingAnExchangeNeedConfigureOnIt() throws Exception {
      as("^c-", ".*", ".*");
      String ok = unique("c-x");
      ch.exchangeDeclare(ok, "fanout");
      ch.exchangeDelete(ok);
      String no = unique("w-x");
      assertThat(channelCloseOf(() -> ch.exchangeDeclare(no, "fanout")))
          .isEqualTo(refused("configure", "exchange", no));
      String existing = exchange("w-x");
      Channel again = conn.createChannel();
      assertThat(channelCloseOf(() -> again.exchangeDelete(existing)))
          .isEqualTo(refused("configure", "exchange", existing));
    }

    @Test
    void anAlternateExchangeNeedsWriteOnItAndReadOnTheNewExchange() throws Exception {
      as("c-", "w-", "r-"); // unanchored: "c-r-x" is both configurable and readable
      String x = unique("c-x");
      assertThat(channelCloseOf(() -> ch.exchangeDeclare(x, "direct", false, false,
          Map.of("alternate-exchange", "w-ae"))))
          .isEqualTo(refused("read", "exchange", x));
      String xr = unique("c-r-x");
      Channel again = conn.createChannel();
      assertThat(channelCloseOf(() -> again.exchangeDeclare(xr, "direct", false, false,
          Map.of("alternate-exchange", "r-ae"))))
          .isEqualTo(refused("write", "exchange", "r-ae"));
      Channel third = conn.createChannel();
      third.exchangeDeclare(xr, "direct", false, true, Map.of("alternate-exchange", "w-ae"));
    }

    @Test
    void aDeadLetterExchangeNeedsWriteOnItAndReadOnTheQueue() throws Exception {
      as("c-", "w-", "r-"); // unanchored: "c-r-q" is both configurable and readable
      String q = unique("c-q");
      assertThat(channelCloseOf(() -> ch.queueDeclare(q, false, false, true,
          Map.of("x-dead-letter-exchange", "w-dlx"))))
          .isEqualTo(refused("read", "queue", q));
      String qr = unique("c-r-q");
      Channel again = conn.createChannel();
      assertThat(channelCloseOf(() -> again.queueDeclare(qr, false, false, true,
          Map.of("x-dead-letter-exchange", "r-dlx"))))
          .isEqualTo(refused("write", "exchange", "r-dlx"));
    }
  }

  @Nested
  class Write {
    @Test
    void publishingNeedsWriteOnTheExchange() throws Exception {
      String x = exchange("w-x");
      String q = queue("r-q");
      adminCh.queueBind(q, x, "k");
      String other = exchange("r-x");
      as("", "^w-", "^r-");
      ch.basicPublish(x, "k", null, bytes("allowed"));
      assertThat(drain(ch, q)).containsExactly("allowed");
      assertThat(channelCloseOf(() -> {
        ch.basicPublish(other, "k", null, bytes("refused"));
        ch.basicQos(0);
      })).isEqualTo(refused("write", "exchange", other));
    }

    @Test
    void theDefaultExchangeIsCheckedAsAmqDefault() throws Exception {
      String q = queue("r-q");
      as("", "^w-", "^r-");
      assertThat(channelCloseOf(() -> {
        ch.basicPublish("", q, null, bytes("refused"));
        ch.basicQos(0);
      })).isEqualTo(refused("write", "exchange", "amq.default"));
    }

    @Test
    void writeOnAmqDefaultAllowsPublishingToAnyQueueByName() throws Exception {
      String q = queue("x-q");
      as("", "^amq\\.default$", "");
      ch.basicPublish("", q, null, bytes("m"));
      ch.basicQos(0);
      assertThat(drain(adminCh, q)).containsExactly("m");
    }

    @Test
    void bindingAQueueNeedsWriteOnTheQueueAndReadOnTheExchange() throws Exception {
      String wq = queue("w-q");
      String rq = queue("r-q");
      String rx = exchange("r-x");
      String wx = exchange("w-x");
      as("", "^w-", "^r-");
      ch.queueBind(wq, rx, "k");
      Channel c1 = conn.createChannel();
      assertThat(channelCloseOf(() -> c1.queueBind(rq, rx, "k"))).isEqualTo(refused("write", "queue", rq));
      Channel c2 = conn.createChannel();
      assertThat(channelCloseOf(() -> c2.queueBind(wq, wx, "k"))).isEqualTo(refused("read", "exchange", wx));
      Channel c3 = conn.createChannel();
      assertThat(channelCloseOf(() -> c3.queueUnbind(rq, rx, "k"))).isEqualTo(refused("write", "queue", rq));
      Channel c4 = conn.createChannel();
      c4.queueUnbind(wq, rx, "k");
    }

    @Test
    void theWriteCheckOnTheQueueComesBeforeTheReadCheckOnTheExchange() throws Exception {
      String rq = queue("r-q");
      String wx = exchange("w-x");
      as("", "^w-", "^r-");
      assertThat(channelCloseOf(() -> ch.queueBind(rq, wx, "k"))).isEqualTo(refused("write", "queue", rq));
    }

    @Test
    void theWriteCheckComesBeforeTheDefaultExchangeRefusal() throws Exception {
      String rq = queue("r-q");
      as("", "^w-", "^r-");
      assertThat(channelCloseOf(() -> ch.queueBind(rq, "", "k"))).isEqualTo(refused("write", "queue", rq));
      String wq = queue("w-q");
      Channel again = conn.createChannel();
      assertThat(channelCloseOf(() -> again.queueBind(wq, "", "k")))
          .isEqualTo("403 ACCESS_REFUSED - operation not permitted on the default exchange");
    }

    @Test
    void bindingExchangesNeedsWriteOnTheDestinationAndReadOnTheSource() throws Exception {
      String wx = exchange("w-x");
      String rx = exchange("r-x");
      as("", "^w-", "^r-");
      ch.exchangeBind(wx, rx, "k");
      Channel c1 = conn.createChannel();
      assertThat(channelCloseOf(() -> c1.exchangeBind(rx, rx, "k"))).isEqualTo(refused("write", "exchange", rx));
      Channel c2 = conn.createChannel();
      assertThat(channelCloseOf(() -> c2.exchangeBind(wx, wx, "k"))).isEqualTo(refused("read", "exchange", wx));
      Channel c3 = conn.createChannel();
      c3.exchangeUnbind(wx, rx, "k");
    }
  }

  @Nested
  class Read {
    @Test
    void getNeedsReadOnTheQueue() throws Exception {
      String rq = queue("r-q");
      String wq = queue("w-q");
      as("", "", "^r-");
      assertThat(ch.basicGet(rq, true)).isNull();
      assertThat(channelCloseOf(() -> ch.basicGet(wq, true))).isEqualTo(refused("read", "queue", wq));
    }

    @Test
    void consumeNeedsReadOnTheQueue() throws Exception {
      String rq = queue("r-q");
      String wq = queue("w-q");
      as("", "", "^r-");
      ch.basicConsume(rq, true, (t, d) -> { }, t -> { });
      assertThat(channelCloseOf(() -> ch.basicConsume(wq, true, (t, d) -> { }, t -> { })))
          .isEqualTo(refused("read", "queue", wq));
    }

    @Test
    void purgeNeedsReadOnTheQueue() throws Exception {
      String rq = queue("r-q");
      String wq = queue("w-q");
      as("", "", "^r-");
      assertThat(ch.queuePurge(rq).getMessageCount()).isZero();
      assertThat(channelCloseOf(() -> ch.queuePurge(wq))).isEqualTo(refused("read", "queue", wq));
    }
  }

  @Nested
  class Patterns {
    @Test
    void aPatternMatchesAnywhereInTheNameUnlessAnchored() throws Exception {
      as("mid", ".*", ".*");
      ch.queueDeclare(unique("a-mid-z"), false, false, true, null);
      assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void anEmptyPatternRefusesEverything() throws Exception {
      String q = queue("any-q");
      as("", "", "");
      assertThat(channelCloseOf(() -> ch.basicGet(q, true))).isEqualTo(refused("read", "queue", q));
    }

    @Test
    void aRefusalClosesOnlyTheChannel() throws Exception {
      String q = queue("w-q");
      as("", "", "^r-");
      channelCloseOf(() -> ch.basicGet(q, true));
      assertThat(conn.isOpen()).isTrue();
      assertThat(conn.createChannel().isOpen()).isTrue();
    }
  }
}
