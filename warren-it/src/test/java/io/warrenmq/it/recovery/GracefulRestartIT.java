package io.warrenmq.it.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a graceful restart (stop, start on the same data directory) keeps and what it drops, as
 * AMQP 0-9-1 and RabbitMQ define it: durable entities and persistent messages stay, everything
 * else goes.
 */
class GracefulRestartIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
  private static final AMQP.BasicProperties TRANSIENT = new AMQP.BasicProperties.Builder().deliveryMode(1).build();

  private static Connection connect() throws Exception {
    return broker.factory().newConnection();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(GetResponse r) {
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }

  /** Every message left in {@code q}, fetched with auto-ack. */
  private static List<String> drain(Channel ch, String q) throws IOException {
    List<String> out = new ArrayList<>();
    for (GetResponse r; (r = ch.basicGet(q, true)) != null; ) {
      out.add(text(r));
    }
    return out;
  }

  /** Publishes with confirms and waits for them, so nothing is in flight at the restart. */
  private static void publishConfirmed(Channel ch, String exchange, String key, AMQP.BasicProperties p, String... bodies)
      throws Exception {
    ch.confirmSelect();
    for (String b : bodies) {
      ch.basicPublish(exchange, key, p, utf8(b));
    }
    assertThat(ch.waitForConfirms(10_000)).as("all confirmed").isTrue();
  }

  /** Waits until {@code q} holds {@code n} ready messages. */
  private static void awaitCount(Channel ch, String q, int n) {
    Eventually.eventually(q + " holds " + n, () -> {
      try {
        return ch.queueDeclarePassive(q).getMessageCount() == n;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static int channelCloseCode(Throwable t) {
    Throwable c = t;
    while (c != null && !(c instanceof ShutdownSignalException)) {
      c = c.getCause();
    }
    assertThat(c).as("a channel close in " + t).isNotNull();
    Object reason = ((ShutdownSignalException) c).getReason();
    assertThat(reason).isInstanceOf(AMQP.Channel.Close.class);
    return ((AMQP.Channel.Close) reason).getReplyCode();
  }

  @Nested
  class Topology {
    @Test
    void durableExchangesOfEveryTypeSurviveWithTheirFlagsAndArguments() throws Exception {
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.exchangeDeclare("t.direct", "direct", true);
        ch.exchangeDeclare("t.fanout", "fanout", true);
        ch.exchangeDeclare("t.topic", "topic", true);
        ch.exchangeDeclare("t.headers", "headers", true);
        ch.exchangeDeclare("t.internal", "topic", true, false, true, Map.of());
        ch.exchangeDeclare("t.with-ae", "direct", true, false, Map.of("alternate-exchange", "t.fanout"));
      }
      broker.restart();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        for (String x : List.of("t.direct", "t.fanout", "t.topic", "t.headers", "t.internal", "t.with-ae")) {
          ch.exchangeDeclarePassive(x);
        }
        // an equivalent redeclaration is accepted: type, durable, internal and arguments came back
        ch.exchangeDeclare("t.direct", "direct", true);
        ch.exchangeDeclare("t.fanout", "fanout", true);
        ch.exchangeDeclare("t.topic", "topic", true);
        ch.exchangeDeclare("t.headers", "headers", true);
        ch.exchangeDeclare("t.internal", "topic", true, false, true, Map.of());
        ch.exchangeDeclare("t.with-ae", "direct", true, false, Map.of("alternate-exchange", "t.fanout"));
      }
      try (Connection c = connect()) {
        Channel ch = c.createChannel();
        assertThatThrownBy(() -> ch.exchangeDeclare("t.headers", "topic", true))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(406));
        Channel ch2 = c.createChannel();
        assertThatThrownBy(() -> ch2.exchangeDeclare("t.with-ae", "direct", true, false, Map.of()))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(406));
        Channel ch3 = c.createChannel();
        assertThatThrownBy(() -> ch3.exchangeDeclare("t.internal", "topic", true))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(406));
      }
    }

    @Test
    void durableBindingsOfEveryExchangeTypeStillRouteAfterARestart() throws Exception {
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.exchangeDeclare("b.direct", "direct", true);
        ch.exchangeDeclare("b.fanout", "fanout", true);
        ch.exchangeDeclare("b.topic", "topic", true);
        ch.exchangeDeclare("b.headers", "headers", true);
        for (String q : List.of("b.q-direct", "b.q-fanout", "b.q-topic", "b.q-hash", "b.q-all", "b.q-any", "b.q-amq")) {
          ch.queueDeclare(q, true, false, false, null);
        }
        ch.queueBind("b.q-direct", "b.direct", "red");
        ch.queueBind("b.q-fanout", "b.fanout", "ignored");
        ch.queueBind("b.q-topic", "b.topic", "a.*.c");
        ch.queueBind("b.q-hash", "b.topic", "a.#");
        ch.queueBind("b.q-all", "b.headers", "", Map.of("x-match", "all", "format", "pdf", "type", "report"));
        ch.queueBind("b.q-any", "b.headers", "", Map.of("x-match", "any", "format", "pdf", "type", "report"));
        ch.queueBind("b.q-amq", "amq.direct", "to-amq");
      }
      broker.restart();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        publishConfirmed(ch, "b.direct", "red", PERSISTENT, "direct-red");
        publishConfirmed(ch, "b.direct", "blue", PERSISTENT, "direct-blue");
        publishConfirmed(ch, "b.fanout", "whatever", PERSISTENT, "fanout");
        publishConfirmed(ch, "b.topic", "a.b.c", PERSISTENT, "topic-abc");
        publishConfirmed(ch, "b.topic", "a.b.c.d", PERSISTENT, "topic-abcd");
        AMQP.BasicProperties both = PERSISTENT.builder().headers(Map.of("format", "pdf", "type", "report")).build();
        AMQP.BasicProperties one = PERSISTENT.builder().headers(Map.of("format", "pdf", "type", "log")).build();
        publishConfirmed(ch, "b.headers", "", both, "headers-both");
        publishConfirmed(ch, "b.headers", "", one, "headers-one");
        publishConfirmed(ch, "amq.direct", "to-amq", PERSISTENT, "amq");

        assertThat(drain(ch, "b.q-direct")).containsExactly("direct-red");
        assertThat(drain(ch, "b.q-fanout")).containsExactly("fanout");
        assertThat(drain(ch, "b.q-topic")).containsExactly("topic-abc");
        assertThat(drain(ch, "b.q-hash")).containsExactly("topic-abc", "topic-abcd");
        assertThat(drain(ch, "b.q-all")).containsExactly("headers-both");
        assertThat(drain(ch, "b.q-any")).containsExactly("headers-both", "headers-one");
        assertThat(drain(ch, "b.q-amq")).containsExactly("amq");
      }
    }

    @Test
    void exchangeToExchangeBindingsAndAlternateExchangesStillRouteAfterARestart() throws Exception {
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.exchangeDeclare("e2e.unrouted", "fanout", true);
        ch.exchangeDeclare("e2e.entry", "topic", true, false, Map.of("alternate-exchange", "e2e.unrouted"));
        ch.exchangeDeclare("e2e.middle", "direct", true);
        ch.queueDeclare("e2e.q", true, false, false, null);
        ch.queueDeclare("e2e.lost", true, false, false, null);
        ch.exchangeBind("e2e.middle", "e2e.entry", "orders.*");
        ch.queueBind("e2e.q", "e2e.middle", "orders.new");
        ch.queueBind("e2e.lost", "e2e.unrouted", "");
      }
      broker.restart();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        publishConfirmed(ch, "e2e.entry", "orders.new", PERSISTENT, "via-middle");
        publishConfirmed(ch, "e2e.entry", "invoices.new", PERSISTENT, "via-ae");
        assertThat(drain(ch, "e2e.q")).containsExactly("via-middle");
        assertThat(drain(ch, "e2e.lost")).containsExactly("via-ae");
      }
    }

    @Test
    void unbindingsAndDeletionsBeforeARestartStayInEffect() throws Exception {
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.exchangeDeclare("u.x", "direct", true);
        ch.exchangeDeclare("u.gone", "fanout", true);
        ch.exchangeDeclare("u.src", "fanout", true);
        ch.queueDeclare("u.q", true, false, false, null);
        ch.queueBind("u.q", "u.x", "k1");
        ch.queueBind("u.q", "u.x", "k2");
        ch.queueBind("u.q", "u.x", "k3", Map.of("arg", "v"));
        ch.exchangeBind("u.x", "u.src", "");
        ch.queueUnbind("u.q", "u.x", "k2");
        ch.queueUnbind("u.q", "u.x", "k3", Map.of("arg", "v"));
        ch.exchangeUnbind("u.x", "u.src", "");
        ch.exchangeDelete("u.gone");
      }
      broker.restart();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        publishConfirmed(ch, "u.x", "k1", PERSISTENT, "one");
        publishConfirmed(ch, "u.x", "k2", PERSISTENT, "two");
        publishConfirmed(ch, "u.x", "k3", PERSISTENT, "three");
        publishConfirmed(ch, "u.src", "", PERSISTENT, "four");
        assertThat(drain(ch, "u.q")).containsExactly("one");
      }
      try (Connection c = connect()) {
        Channel ch = c.createChannel();
        assertThatThrownBy(() -> ch.exchangeDeclarePassive("u.gone"))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(404));
      }
    }

    @Test
    void bindingsRestoredAfterARestartCanBeUnboundAndStayUnboundAfterTheNext() throws Exception {
      Map<String, Object> args = new LinkedHashMap<>();
      args.put("x-match", "all");
      args.put("n", 1);
      args.put("flag", true);
      args.put("big", 1L << 40);
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.exchangeDeclare("rb.h", "headers", true);
        ch.exchangeDeclare("rb.src", "topic", true);
        ch.exchangeDeclare("rb.dst", "fanout", true);
        ch.queueDeclare("rb.q", true, false, false, null);
        ch.queueBind("rb.q", "rb.h", "", args);
        ch.queueBind("rb.q", "rb.dst", "");
        ch.exchangeBind("rb.dst", "rb.src", "x.#");
      }
      broker.restart();
      AMQP.BasicProperties matching = PERSISTENT.builder()
          .headers(Map.of("n", 1, "flag", true, "big", 1L << 40)).build();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        publishConfirmed(ch, "rb.h", "", matching, "by-headers");
        publishConfirmed(ch, "rb.src", "x.y", PERSISTENT, "by-e2e");
        assertThat(drain(ch, "rb.q")).as("typed binding arguments survive").containsExactly("by-headers", "by-e2e");
        ch.queueUnbind("rb.q", "rb.h", "", args);
        ch.exchangeUnbind("rb.dst", "rb.src", "x.#");
      }
      broker.restart();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        publishConfirmed(ch, "rb.h", "", matching, "by-headers");
        publishConfirmed(ch, "rb.src", "x.y", PERSISTENT, "by-e2e");
        publishConfirmed(ch, "rb.dst", "", PERSISTENT, "direct-to-fanout");
        assertThat(drain(ch, "rb.q")).containsExactly("direct-to-fanout");
      }
    }

    @Test
    void aNonDefaultVhostKeepsItsTopologyAndMessagesAcrossARestart() throws Exception {
      var b = broker.server().broker();
      b.addVhost("restart/other vh");
      b.setPermission("guest", "restart/other vh", Permission.ALL);
      ConnectionFactory f = broker.factory();
      f.setVirtualHost("restart/other vh");
      try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
        ch.exchangeDeclare("vh.x", "direct", true);
        ch.queueDeclare("vh.q", true, false, false, null);
        ch.queueBind("vh.q", "vh.x", "k");
        publishConfirmed(ch, "vh.x", "k", PERSISTENT, "in-other-vhost");
      }
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.queueDeclare("vh.q", true, false, false, null);
        publishConfirmed(ch, "", "vh.q", PERSISTENT, "in-default-vhost");
      }
      broker.restart();
      f.setPort(broker.port());
      try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
        publishConfirmed(ch, "vh.x", "k", PERSISTENT, "after");
        assertThat(drain(ch, "vh.q")).containsExactly("in-other-vhost", "after");
      }
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        assertThat(drain(ch, "vh.q")).containsExactly("in-default-vhost");
      }
    }

    @Test
    void nonDurableQueuesExchangesAndTheirBindingsAreGoneAfterARestart() throws Exception {
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.exchangeDeclare("nd.x", "direct", false);
        ch.exchangeDeclare("nd.durable-x", "direct", true);
        ch.queueDeclare("nd.q", false, false, false, null);
        ch.queueDeclare("nd.durable-q", true, false, false, null);
        ch.queueBind("nd.q", "nd.durable-x", "k");
        ch.queueBind("nd.durable-q", "nd.durable-x", "k");
        ch.basicPublish("", "nd.q", PERSISTENT, utf8("lost"));
        ch.queueDeclarePassive("nd.q");
      }
      broker.restart();
      try (var files = java.nio.file.Files.walk(broker.dataDir().resolve("transient"))) {
        assertThat(files.filter(java.nio.file.Files::isRegularFile).toList())
            .as("no segment file of a non-durable queue outlives a restart").isEmpty();
      } catch (java.nio.file.NoSuchFileException e) {
        // no transient directory at all: fine too
      }
      try (Connection c = connect()) {
        Channel ch = c.createChannel();
        assertThatThrownBy(() -> ch.queueDeclarePassive("nd.q"))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(404));
        Channel ch2 = c.createChannel();
        assertThatThrownBy(() -> ch2.exchangeDeclarePassive("nd.x"))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(404));
        Channel ch3 = c.createChannel();
        // a fresh non-durable queue of the same name starts empty and unbound
        ch3.queueDeclare("nd.q", false, false, false, null);
        assertThat(ch3.basicGet("nd.q", true)).isNull();
        publishConfirmed(ch3, "nd.durable-x", "k", PERSISTENT, "m");
        assertThat(drain(ch3, "nd.q")).isEmpty();
        assertThat(drain(ch3, "nd.durable-q")).containsExactly("m");
      }
    }

    @Test
    void exclusiveQueuesAreGoneAfterARestartEvenWhenDeclaredDurable() throws Exception {
      Connection owner = connect();
      Channel och = owner.createChannel();
      och.queueDeclare("ex.q", true, true, false, null);
      och.basicPublish("", "ex.q", PERSISTENT, utf8("m"));
      broker.restart();
      assertThat(owner.isOpen()).isFalse();
      try (Connection c = connect()) {
        Channel ch = c.createChannel();
        assertThatThrownBy(() -> ch.queueDeclarePassive("ex.q"))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(404));
      }
    }

    @Test
    void queueArgumentsSurviveARestart() throws Exception {
      Map<String, Object> args = Map.of("x-max-length", 1000, "x-message-ttl", 3_600_000, "x-custom", "kept");
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.queueDeclare("args.q", true, false, false, args);
      }
      broker.restart();
      try (Connection c = connect()) {
        Channel ch = c.createChannel();
        ch.queueDeclare("args.q", true, false, false, args);
        assertThatThrownBy(() -> ch.queueDeclare("args.q", true, false, false, Map.of("x-max-length", 10)))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(406));
      }
    }

    @Test
    void aQueueDeletedBeforeARestartStaysDeletedAndARedeclarationStartsEmpty() throws Exception {
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.queueDeclare("del.q", true, false, false, null);
        ch.queueBind("del.q", "amq.fanout", "");
        publishConfirmed(ch, "", "del.q", PERSISTENT, "old-1", "old-2");
        ch.queueDelete("del.q");
      }
      broker.restart();
      try (Connection c = connect()) {
        Channel ch = c.createChannel();
        assertThatThrownBy(() -> ch.queueDeclarePassive("del.q"))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(404));
        Channel ch2 = c.createChannel();
        assertThat(ch2.queueDeclare("del.q", true, false, false, null).getMessageCount()).isZero();
        publishConfirmed(ch2, "amq.fanout", "", PERSISTENT, "to-fanout");
        assertThat(drain(ch2, "del.q")).as("the old binding went with the queue").isEmpty();
      }
    }
  }

  @Nested
  class Messages {
    @Test
    void persistentMessagesSurviveInOrderWithBodyAndEveryPropertyUnchanged() throws Exception {
      Map<String, Object> nested = new LinkedHashMap<>();
      nested.put("inner", "value");
      nested.put("n", 7);
      Map<String, Object> headers = new LinkedHashMap<>();
      headers.put("string", "héllo");
      headers.put("int", 42);
      headers.put("long", 1L << 40);
      headers.put("bool", true);
      headers.put("double", 2.5d);
      headers.put("table", nested);
      headers.put("array", List.of("a", 1, false));
      headers.put("timestamp", new Date(1_600_000_000_000L));
      AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
          .contentType("application/json").contentEncoding("gzip").headers(headers).deliveryMode(2)
          .priority(7).correlationId("corr-1").replyTo("replies").expiration("3600000").messageId("id-1")
          .timestamp(new Date(1_700_000_000_000L)).type("order.created").userId("guest").appId("restart-it")
          .clusterId("cluster-1").build();
      byte[] big = new byte[300_000];
      for (int i = 0; i < big.length; i++) {
        big[i] = (byte) (i * 31);
      }
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.queueDeclare("m.props", true, false, false, null);
        ch.exchangeDeclare("m.x", "direct", true);
        ch.queueBind("m.props", "m.x", "rk");
        ch.confirmSelect();
        ch.basicPublish("m.x", "rk", props, utf8("first"));
        ch.basicPublish("", "m.props", PERSISTENT, new byte[0]);
        ch.basicPublish("", "m.props", PERSISTENT, big);
        for (int i = 0; i < 100; i++) {
          ch.basicPublish("", "m.props", PERSISTENT, utf8("n" + i));
        }
        assertThat(ch.waitForConfirms(10_000)).isTrue();
      }
      broker.restart();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        assertThat(ch.queueDeclarePassive("m.props").getMessageCount()).isEqualTo(103);
        GetResponse first = ch.basicGet("m.props", false);
        assertThat(text(first)).isEqualTo("first");
        assertThat(first.getEnvelope().getExchange()).isEqualTo("m.x");
        assertThat(first.getEnvelope().getRoutingKey()).isEqualTo("rk");
        assertThat(first.getEnvelope().isRedeliver()).isFalse();
        AMQP.BasicProperties got = first.getProps();
        assertThat(got.getContentType()).isEqualTo("application/json");
        assertThat(got.getContentEncoding()).isEqualTo("gzip");
        assertThat(got.getDeliveryMode()).isEqualTo(2);
        assertThat(got.getPriority()).isEqualTo(7);
        assertThat(got.getCorrelationId()).isEqualTo("corr-1");
        assertThat(got.getReplyTo()).isEqualTo("replies");
        assertThat(got.getExpiration()).isEqualTo("3600000");
        assertThat(got.getMessageId()).isEqualTo("id-1");
        assertThat(got.getTimestamp()).isEqualTo(new Date(1_700_000_000_000L));
        assertThat(got.getType()).isEqualTo("order.created");
        assertThat(got.getUserId()).isEqualTo("guest");
        assertThat(got.getAppId()).isEqualTo("restart-it");
        assertThat(got.getClusterId()).isEqualTo("cluster-1");
        assertThat(plain(got.getHeaders())).isEqualTo(plain(headers));
        ch.basicAck(first.getEnvelope().getDeliveryTag(), false);

        GetResponse empty = ch.basicGet("m.props", true);
        assertThat(empty.getBody()).isEmpty();
        assertThat(empty.getProps().getDeliveryMode()).isEqualTo(2);
        assertThat(empty.getProps().getHeaders()).isNull();
        assertThat(ch.basicGet("m.props", true).getBody()).isEqualTo(big);
        List<String> rest = drain(ch, "m.props");
        assertThat(rest).hasSize(100);
        for (int i = 0; i < 100; i++) {
          assertThat(rest.get(i)).isEqualTo("n" + i);
        }
      }
    }

    @Test
    void aBccMessageAndADeadLetterKeepTheirRoutingKeysAcrossARestart() throws Exception {
      // the routing keys RabbitMQ keeps beside the properties (BCC keys, a dead letter's keys)
      // are part of the record: after a restart they still route the next dead-lettering
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.exchangeDeclare("m.bcc.dlx", "direct", true);
        ch.queueDeclare("m.bcc.src", true, false, false, Map.of("x-dead-letter-exchange", "m.bcc.dlx"));
        ch.queueDeclare("m.bcc.dead", true, false, false, null);
        ch.queueBind("m.bcc.dead", "m.bcc.dlx", "bcc-key");
        ch.queueDeclare("m.bcc.dl", true, false, false,
            Map.of("x-dead-letter-exchange", "m.bcc.dlx", "x-dead-letter-routing-key", "dl-key"));
        ch.queueDeclare("m.bcc.dl.dead", true, false, false, Map.of("x-dead-letter-exchange", "m.bcc.dlx"));
        ch.queueBind("m.bcc.dl.dead", "m.bcc.dlx", "dl-key");
        ch.queueDeclare("m.bcc.cc", true, false, false, null);
        ch.queueBind("m.bcc.cc", "m.bcc.dlx", "cc-key");
        AMQP.BasicProperties bcc = PERSISTENT.builder().headers(Map.of("BCC", List.of("bcc-key"))).build();
        AMQP.BasicProperties cc = PERSISTENT.builder().headers(Map.of("CC", List.of("cc-key"))).build();
        publishConfirmed(ch, "", "m.bcc.src", bcc, "by-bcc");
        publishConfirmed(ch, "", "m.bcc.dl", cc, "by-dl-key");
        ch.basicReject(ch.basicGet("m.bcc.dl", false).getEnvelope().getDeliveryTag(), false);
        awaitCount(ch, "m.bcc.dl.dead", 1);
      }
      broker.restart();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.basicReject(ch.basicGet("m.bcc.src", false).getEnvelope().getDeliveryTag(), false);
        ch.basicReject(ch.basicGet("m.bcc.dl.dead", false).getEnvelope().getDeliveryTag(), false);
        awaitCount(ch, "m.bcc.dead", 1);
        awaitCount(ch, "m.bcc.dl.dead", 1);
        GetResponse byBcc = ch.basicGet("m.bcc.dead", true);
        assertThat(byBcc).isNotNull();
        assertThat(text(byBcc)).isEqualTo("by-bcc");
        // routed again with its dead-letter routing key only, not with its CC header's key
        GetResponse again = ch.basicGet("m.bcc.dl.dead", true);
        assertThat(again).isNotNull();
        assertThat(text(again)).isEqualTo("by-dl-key");
        assertThat(ch.basicGet("m.bcc.cc", true)).isNull();
      }
    }

    @Test
    void transientMessagesInADurableQueueAreGoneWhilePersistentOnesStayInOrder() throws Exception {
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.queueDeclare("m.mixed", true, false, false, null);
        ch.confirmSelect();
        for (int i = 0; i < 10; i++) {
          ch.basicPublish("", "m.mixed", i % 2 == 0 ? PERSISTENT : TRANSIENT, utf8("m" + i));
        }
        ch.basicPublish("", "m.mixed", null, utf8("no-properties"));
        assertThat(ch.waitForConfirms(10_000)).isTrue();
        assertThat(ch.queueDeclarePassive("m.mixed").getMessageCount()).isEqualTo(11);
      }
      broker.restart();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        assertThat(ch.queueDeclarePassive("m.mixed").getMessageCount()).isEqualTo(5);
        assertThat(drain(ch, "m.mixed")).containsExactly("m0", "m2", "m4", "m6", "m8");
      }
    }

    @Test
    void messagesUnackedAtShutdownComeBackFlaggedRedeliveredInTheirOriginalOrder() throws Exception {
      Connection consumerConn = connect();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.queueDeclare("m.unacked", true, false, false, null);
        publishConfirmed(ch, "", "m.unacked", PERSISTENT, "u0", "u1", "u2", "u3", "u4");
      }
      Channel cch = consumerConn.createChannel();
      cch.basicQos(3);
      BlockingQueue<String> delivered = new ArrayBlockingQueue<>(10);
      cch.basicConsume("m.unacked", false, (tag, d) -> delivered.add(new String(d.getBody(), StandardCharsets.UTF_8)),
          tag -> { });
      List<String> first = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        first.add(delivered.poll(10, TimeUnit.SECONDS));
      }
      assertThat(first).containsExactly("u0", "u1", "u2");
      BlockingQueue<ShutdownSignalException> closed = new ArrayBlockingQueue<>(1);
      consumerConn.addShutdownListener(closed::add);

      broker.restart();

      ShutdownSignalException s = closed.poll(10, TimeUnit.SECONDS);
      assertThat(s).as("the consumer's connection was closed by the broker").isNotNull();
      assertThat(s.isHardError()).isTrue();
      assertThat(((AMQP.Connection.Close) s.getReason()).getReplyCode()).isEqualTo(320);
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        assertThat(ch.queueDeclarePassive("m.unacked").getMessageCount()).isEqualTo(5);
        List<String> bodies = new ArrayList<>();
        List<Boolean> redelivered = new ArrayList<>();
        for (GetResponse r; (r = ch.basicGet("m.unacked", true)) != null; ) {
          bodies.add(text(r));
          redelivered.add(r.getEnvelope().isRedeliver());
        }
        assertThat(bodies).containsExactly("u0", "u1", "u2", "u3", "u4");
        assertThat(redelivered).containsExactly(true, true, true, false, false);
      }
    }

    @Test
    void ackedMessagesStayAckedAndLaterPublishesQueueBehindTheRecoveredOnes() throws Exception {
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.queueDeclare("m.acked", true, false, false, null);
        publishConfirmed(ch, "", "m.acked", PERSISTENT, "a0", "a1", "a2", "a3");
        GetResponse r0 = ch.basicGet("m.acked", false);
        GetResponse r1 = ch.basicGet("m.acked", false);
        GetResponse r2 = ch.basicGet("m.acked", false);
        ch.basicAck(r0.getEnvelope().getDeliveryTag(), false);
        ch.basicAck(r2.getEnvelope().getDeliveryTag(), false);
        ch.basicNack(r1.getEnvelope().getDeliveryTag(), false, true);
      }
      broker.restart();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        publishConfirmed(ch, "", "m.acked", PERSISTENT, "b0");
      }
      broker.restart();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        assertThat(drain(ch, "m.acked")).containsExactly("a1", "a3", "b0");
      }
    }

    @Test
    void aQueuePurgedBeforeARestartStaysPurged() throws Exception {
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        ch.queueDeclare("m.purged", true, false, false, null);
        publishConfirmed(ch, "", "m.purged", PERSISTENT, "p0", "p1", "p2");
        assertThat(ch.queuePurge("m.purged").getMessageCount()).isEqualTo(3);
        publishConfirmed(ch, "", "m.purged", PERSISTENT, "after-purge");
      }
      broker.restart();
      try (Connection c = connect(); Channel ch = c.createChannel()) {
        assertThat(drain(ch, "m.purged")).containsExactly("after-purge");
      }
    }
  }

  @Nested
  class Access {
    @Test
    void usersVhostsAndPermissionsSurviveARestart() throws Exception {
      var b = broker.server().broker();
      b.addVhost("restart-vh");
      b.addUser("carol", "carol-secret", List.of("monitoring"));
      b.setPermission("carol", "restart-vh", new Permission("^carol-.*", ".*", ".*"));
      b.addUser("dave", "dave-secret", List.of());
      b.changePassword("dave", "dave-new");
      b.setPermission("dave", "restart-vh", Permission.ALL);
      b.addUser("erin", "erin-secret", List.of());
      b.setPermission("erin", "restart-vh", Permission.ALL);
      b.deleteUser("erin");
      b.addUser("frank", "frank-secret", List.of());
      b.setPermission("frank", "restart-vh", Permission.ALL);
      b.clearPermission("frank", "restart-vh");
      b.addVhost("doomed-vh");
      b.deleteVhost("doomed-vh");

      broker.restart();

      var after = broker.server().broker();
      assertThat(after.vhost("restart-vh")).isNotNull();
      assertThat(after.vhost("doomed-vh")).isNull();
      assertThat(after.users().get("carol").tags()).containsExactly("monitoring");
      assertThat(after.users().get("erin")).isNull();
      try (Connection c = login("carol", "carol-secret", "restart-vh")) {
        Channel ch = c.createChannel();
        ch.queueDeclare("carol-q", true, false, false, null);
        assertThatThrownBy(() -> ch.queueDeclare("other-q", true, false, false, null))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(403));
      }
      login("dave", "dave-new", "restart-vh").close();
      assertThatThrownBy(() -> login("dave", "dave-secret", "restart-vh")).isInstanceOf(Exception.class);
      assertThatThrownBy(() -> login("erin", "erin-secret", "restart-vh")).isInstanceOf(Exception.class);
      assertThatThrownBy(() -> login("frank", "frank-secret", "restart-vh"))
          .as("no permission on the vhost any more").isInstanceOf(Exception.class);
      login("guest", "guest", "/").close();
    }

    private Connection login(String user, String pass, String vhost) throws Exception {
      ConnectionFactory f = broker.factory();
      f.setUsername(user);
      f.setPassword(pass);
      f.setVirtualHost(vhost);
      return f.newConnection();
    }
  }

  /** Header values as plain Java values (the client reads strings back as LongString). */
  static Object plain(Object v) {
    if (v instanceof LongString ls) {
      return ls.toString();
    }
    if (v instanceof byte[] b) {
      return Arrays.toString(b);
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k.toString(), plain(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(GracefulRestartIT::plain).toList();
    }
    return v;
  }
}
