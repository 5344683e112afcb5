package io.warrenmq.it.features;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import io.warrenmq.broker.vhost.Firehose;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.WarrenctlScript;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RabbitMQ's firehose (rabbitmqctl trace_on): while tracing is on in a vhost, each publish and each
 * delivery is copied to amq.rabbitmq.trace as {@code publish.<exchange>} / {@code deliver.<queue>},
 * with the original body and rabbit_trace's headers describing the original.
 */
class FirehoseIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;
  String traces;
  String work;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    traces = unique("trace-sink");
    ch.queueDeclare(traces, false, false, false, null);
    ch.queueBind(traces, Firehose.EXCHANGE, "#");
    work = unique("traced");
    ch.queueDeclare(work, false, false, false, null);
    ctl("trace_on");
  }

  @AfterEach
  void close() throws Exception {
    ctl("trace_off");
    conn.abort();
  }

  /** Runs the real bin/warrenctl against the test broker; it must succeed. */
  static WarrenctlScript.Result ctl(String... args) throws Exception {
    WarrenctlScript.Result r = WarrenctlScript.run(broker, args);
    assertThat(r.code()).as("warrenctl %s: %s", String.join(" ", args), r.err()).isZero();
    return r;
  }

  static Firehose firehose() {
    return broker.server().broker().vhost("/").firehose();
  }

  /** Every trace message waiting in the sink queue, in order. */
  List<GetResponse> traced() throws Exception {
    List<GetResponse> out = new ArrayList<>();
    GetResponse r;
    while ((r = ch.basicGet(traces, true)) != null) {
      out.add(r);
    }
    return out;
  }

  static String str(Object v) {
    return v == null ? null : v instanceof LongString l ? new String(l.getBytes(), StandardCharsets.UTF_8) : v.toString();
  }

  @Test
  void aPublishIsCopiedWithTheHeadersThatDescribeIt() throws Exception {
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .contentType("text/plain").deliveryMode(2).priority(3).messageId("m-1")
        .timestamp(new Date(1_700_000_000_000L)).headers(Map.of("CC", List.of("other"), "app", "x")).build();
    ch.basicPublish("", work, props, bytes("hello"));

    List<GetResponse> t = traced();
    assertThat(t).hasSize(1);
    GetResponse r = t.getFirst();
    assertThat(r.getEnvelope().getExchange()).isEqualTo(Firehose.EXCHANGE);
    assertThat(r.getEnvelope().getRoutingKey()).isEqualTo("publish.");
    assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(r.getProps().getDeliveryMode()).as("the copy is transient").isNull();
    Map<String, Object> h = r.getProps().getHeaders();
    assertThat(str(h.get("exchange_name"))).isEqualTo("");
    assertThat((List<?>) h.get("routing_keys")).extracting(FirehoseIT::str).containsExactly(work, "other");
    assertThat((List<?>) h.get("routed_queues")).extracting(FirehoseIT::str).containsExactly(work);
    assertThat(str(h.get("vhost"))).isEqualTo("/");
    assertThat(str(h.get("user"))).isEqualTo("guest");
    assertThat(h.get("channel")).isEqualTo(1);
    assertThat(str(h.get("connection"))).contains("->");
    assertThat(str(h.get("node"))).startsWith("warren@");
    @SuppressWarnings("unchecked")
    Map<String, Object> p = (Map<String, Object>) h.get("properties");
    assertThat(str(p.get("content_type"))).isEqualTo("text/plain");
    assertThat(p.get("delivery_mode")).isEqualTo(2);
    assertThat(p.get("priority")).isEqualTo(3);
    assertThat(str(p.get("message_id"))).isEqualTo("m-1");
    assertThat(p.get("timestamp")).isEqualTo(1_700_000_000);
    assertThat(p).doesNotContainKeys("reply_to", "expiration", "user_id");
    @SuppressWarnings("unchecked")
    Map<String, Object> original = (Map<String, Object>) p.get("headers");
    assertThat(str(original.get("app"))).isEqualTo("x");
  }

  @Test
  void getsAndDeliveriesAreCopiedAsDeliverOfTheQueue() throws Exception {
    ch.basicPublish("", work, null, bytes("one"));
    ch.basicPublish("", work, null, bytes("two"));
    GetResponse got = ch.basicGet(work, false);
    ch.basicNack(got.getEnvelope().getDeliveryTag(), false, true);
    GetResponse again = ch.basicGet(work, true);
    assertThat(again.getEnvelope().isRedeliver()).isTrue();

    List<GetResponse> t = traced();
    assertThat(t).extracting(r -> r.getEnvelope().getRoutingKey())
        .containsExactly("publish.", "publish.", "deliver." + work, "deliver." + work);
    Map<String, Object> first = t.get(2).getProps().getHeaders();
    Map<String, Object> second = t.get(3).getProps().getHeaders();
    assertThat(first.get("redelivered")).isEqualTo(0);
    assertThat(second.get("redelivered")).isEqualTo(1);
    assertThat(str(first.get("exchange_name"))).isEqualTo("");
    assertThat((List<?>) first.get("routing_keys")).extracting(FirehoseIT::str).containsExactly(work);
    assertThat(first).doesNotContainKey("routed_queues");
    assertThat(new String(t.get(2).getBody(), StandardCharsets.UTF_8)).isEqualTo("one");
  }

  @Test
  void aNoAckConsumerDeliveryIsCopiedToo() throws Exception {
    List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    Channel consumer = conn.createChannel();
    consumer.basicConsume(work, true, (tag, d) -> bodies.add(new String(d.getBody(), StandardCharsets.UTF_8)), tag -> {});
    ch.basicPublish("", work, null, bytes("pushed"));
    io.warrenmq.it.support.Eventually.eventually("delivered", () -> bodies.size() == 1);
    io.warrenmq.it.support.Eventually.eventually("both copies", () -> Fixtures.ready(ch, traces) == 2);

    List<GetResponse> t = traced();
    assertThat(t).extracting(r -> r.getEnvelope().getRoutingKey()).containsExactly("publish.", "deliver." + work);
    assertThat(t.get(1).getProps().getHeaders().get("channel")).isEqualTo(2);
    assertThat(new String(t.get(1).getBody(), StandardCharsets.UTF_8)).isEqualTo("pushed");
  }

  @Test
  void warrenctlSaysWhatItTurnsOnAndOffAsRabbitmqctl() throws Exception {
    assertThat(ctl("trace_off").out()).isEqualTo("Stopping tracing for vhost \"/\" ...\nTrace disabled for vhost /\n");
    assertThat(firehose().enabled()).isFalse();
    assertThat(ctl("trace_on", "-p", "/").out()).isEqualTo("Starting tracing for vhost \"/\" ...\nTrace enabled for vhost /\n");
    assertThat(firehose().enabled()).isTrue();
    WarrenctlScript.Result missing = WarrenctlScript.run(broker, "trace_on", "-p", "no-such-vhost");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err() + missing.out()).contains("no vhost 'no-such-vhost'");
  }

  @Test
  void nothingIsCopiedOnceTracingIsOff() throws Exception {
    ctl("trace_off");
    ch.basicPublish("", work, null, bytes("quiet"));
    assertThat(ch.basicGet(work, true)).isNotNull();
    assertThat(traced()).isEmpty();
  }
}
