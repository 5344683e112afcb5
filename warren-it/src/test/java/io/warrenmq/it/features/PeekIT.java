package io.warrenmq.it.features;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.server.ctl.WarrenCtl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WarrenMQ's non-destructive peek ({@code warrenctl peek [-p vhost] <queue> <n>}): prints the first
 * n ready messages in the order consumers would get them, and changes nothing: counts, order,
 * the redelivered flag and unacknowledged deliveries stay as they were.
 */
class PeekIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;
  String q;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    ch.confirmSelect();
    q = unique("peek");
    ch.queueDeclare(q, false, false, false, null);
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  /** The data rows of {@code warrenctl peek -p / q n}: position, exchange, routing key, properties, size, body. */
  List<List<String>> peek(String queue, int n) throws Exception {
    ch.waitForConfirmsOrDie(10_000);
    ch.queueDeclarePassive(queue); // what the channel sent before (acks, nacks) is processed by now
    String out = Ctl.ok(broker, "peek", "-p", "/", queue, Integer.toString(n));
    List<String> lines = out.lines().toList();
    int header = 0;
    while (!lines.get(header).startsWith("position\t")) {
      header++;
    }
    assertThat(lines.get(header)).isEqualTo("position\texchange\trouting_key\tproperties\tbody_size\tbody");
    return lines.subList(header + 1, lines.size()).stream().map(l -> Arrays.asList(l.split("\t", -1))).toList();
  }

  static List<String> column(List<List<String>> rows, int i) {
    return rows.stream().map(r -> r.get(i)).toList();
  }

  @Test
  void peekPrintsTheFirstMessagesAndLeavesCountOrderAndRedeliveredFlagAlone() throws Exception {
    for (int i = 1; i <= 5; i++) {
      ch.basicPublish("", q, new AMQP.BasicProperties.Builder().contentType("text/plain").messageId("id" + i).build(),
          bytes("m" + i));
    }
    List<List<String>> rows = peek(q, 3);
    assertThat(column(rows, 0)).containsExactly("1", "2", "3");
    assertThat(column(rows, 2)).containsExactly(q, q, q);
    assertThat(column(rows, 4)).containsExactly("2", "2", "2");
    assertThat(column(rows, 5)).containsExactly("m1", "m2", "m3");
    assertThat(rows.getFirst().get(3)).contains("content_type=text/plain").contains("message_id=id1");
    assertThat(peek(q, 3)).isEqualTo(rows);

    assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(5);
    Recorder r = new Recorder(ch);
    ch.basicConsume(q, true, r);
    List<Delivery> all = r.take(5);
    assertThat(all).extracting(d -> text(d.getBody())).containsExactly("m1", "m2", "m3", "m4", "m5");
    assertThat(all).extracting(d -> d.getEnvelope().isRedeliver()).containsOnly(false);
  }

  @Test
  void peekShowsOnlyReadyMessagesAndLeavesUnackedOnesUnacked() throws Exception {
    ch.basicPublish("", q, null, bytes("taken"));
    ch.basicPublish("", q, null, bytes("waiting"));
    ch.waitForConfirmsOrDie(10_000);
    GetResponse taken = ch.basicGet(q, false);
    assertThat(column(peek(q, 10), 5)).containsExactly("waiting");
    ch.basicNack(taken.getEnvelope().getDeliveryTag(), false, true);
    assertThat(column(peek(q, 10), 5)).containsExactly("taken", "waiting");
  }

  @Test
  void peekOfAPriorityQueueShowsTheOrderConsumersGetAndOfAnEmptyQueueNothing() throws Exception {
    String prio = unique("peek-prio");
    ch.queueDeclare(prio, false, false, false, Map.of("x-max-priority", 5));
    assertThat(peek(prio, 3)).isEmpty();
    for (int p : new int[] {1, 5, 3}) {
      ch.basicPublish("", prio, new AMQP.BasicProperties.Builder().priority(p).build(), bytes("p" + p));
    }
    assertThat(column(peek(prio, 2), 5)).containsExactly("p5", "p3");
    assertThat(column(peek(prio, 10), 5)).containsExactly("p5", "p3", "p1");
  }

  @Test
  void aBinaryBodyIsPrintedAsBase64AndHeadersAreShown() throws Exception {
    ch.basicPublish("", q, new AMQP.BasicProperties.Builder().headers(Map.of("k", "v")).build(),
        new byte[] {(byte) 0xff, 0, 1});
    List<String> row = peek(q, 1).getFirst();
    assertThat(row.get(5)).isEqualTo("base64:/wAB");
    assertThat(row.get(4)).isEqualTo("3");
    assertThat(row.get(3)).contains("headers=").contains("k");
  }

  @Test
  void peekingAMissingQueueFailsWithoutSideEffects() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = WarrenCtl.run(new String[] {"--socket", broker.dataDir().resolve("warren.sock").toString(), "peek",
        "-p", "/", "no-such-queue", "3"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isNotZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no-such-queue");
  }
}
