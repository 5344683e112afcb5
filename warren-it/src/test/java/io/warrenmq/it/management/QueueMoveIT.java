package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Move messages" without a shovel: POST /api/queues/{vhost}/{name}/actions with
 * {"action":"move"} moves ready messages, oldest first, with their properties, to another queue.
 */
class QueueMoveIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  static Connection conn;
  static Channel ch;

  @BeforeAll
  static void connect() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    ch.confirmSelect();
    if (broker.server().broker().users().get("viewer") == null) {
      broker.server().broker().addUser("viewer", "pw", List.of("management"));
    }
  }

  @AfterAll
  static void close() throws Exception {
    conn.close();
  }

  @BeforeEach
  void queues() throws Exception {
    for (String q : List.of("src", "dst")) {
      ch.queueDelete(q);
      ch.queueDeclare(q, true, false, false, null);
    }
    for (int i = 1; i <= 5; i++) {
      ch.basicPublish("", "src", new AMQP.BasicProperties.Builder().deliveryMode(2).messageId("m" + i)
          .headers(Map.of("n", i)).build(), ("body " + i).getBytes(StandardCharsets.UTF_8));
    }
    // confirmed: all five are in the queue before the move is asked for
    ch.waitForConfirmsOrDie(10_000);
  }

  Reply move(String queue, Map<String, Object> body) {
    return ManagementHttp.guest(broker).post("/api/queues/%2F/" + queue + "/actions", body);
  }

  static List<String> drain(String queue) throws Exception {
    List<String> out = new ArrayList<>();
    for (GetResponse r; (r = ch.basicGet(queue, true)) != null; ) {
      assertThat(r.getEnvelope().isRedeliver()).as("a moved message is not redelivered").isFalse();
      assertThat(r.getProps().getDeliveryMode()).isEqualTo(2);
      assertThat(r.getProps().getHeaders().get("n").toString()).isEqualTo(r.getProps().getMessageId().substring(1));
      out.add(r.getProps().getMessageId() + ":" + new String(r.getBody(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void countMessagesMoveOldestFirstWithTheirPropertiesAndTheRestStay() throws Exception {
    Reply r = move("src", Map.of("action", "move", "destination", "dst", "count", 3));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).containsEntry("moved", 3);
    assertThat(ch.messageCount("src")).isEqualTo(2);
    assertThat(drain("dst")).containsExactly("m1:body 1", "m2:body 2", "m3:body 3");
    assertThat(drain("src")).containsExactly("m4:body 4", "m5:body 5");
  }

  @Test
  void movedMessagesAreInTheDestinationAfterARestartAndGoneFromTheSource() throws Exception {
    assertThat(move("src", Map.of("action", "move", "destination", "dst", "count", 3)).json()).containsEntry("moved", 3);
    conn.close();
    broker.restart();
    connect();
    assertThat(ch.messageCount("dst")).isEqualTo(3);
    assertThat(ch.messageCount("src")).isEqualTo(2);
    assertThat(drain("dst")).containsExactly("m1:body 1", "m2:body 2", "m3:body 3");
  }

  @Test
  void withoutACountEveryReadyMessageMoves() throws Exception {
    assertThat(move("src", Map.of("action", "move", "destination", "dst")).json()).containsEntry("moved", 5);
    assertThat(ch.messageCount("src")).isZero();
    assertThat(ch.messageCount("dst")).isEqualTo(5);
  }

  @Test
  void aDestinationThatRefusesStopsTheMoveAndTheRestStaysInTheSource() throws Exception {
    ch.queueDelete("dst");
    ch.queueDeclare("dst", true, false, false, Map.of("x-max-length", 2, "x-overflow", "reject-publish"));
    assertThat(move("src", Map.of("action", "move", "destination", "dst")).json()).containsEntry("moved", 2);
    assertThat(ch.messageCount("dst")).isEqualTo(2);
    assertThat(ch.messageCount("src")).isEqualTo(3);
  }

  @Test
  void aMissingQueueIs404AndABadRequestIs400() {
    assertThat(move("src", Map.of("action", "move", "destination", "nowhere")).status()).isEqualTo(404);
    assertThat(move("nowhere", Map.of("action", "move", "destination", "dst")).status()).isEqualTo(404);
    Reply self = move("src", Map.of("action", "move", "destination", "src"));
    assertThat(self.status()).isEqualTo(400);
    assertThat(self.json()).containsEntry("error", "bad_request");
    assertThat(move("src", Map.of("action", "sync")).status()).as("no mirrors: nothing to do").isEqualTo(204);
    assertThat(move("src", Map.of("action", "shovel")).status()).isEqualTo(400);
    assertThat(move("src", Map.of("action", "move")).status()).isEqualTo(400);
    assertThat(move("src", Map.of("action", "move", "destination", "dst", "count", 0)).status()).isEqualTo(400);
  }

  @Test
  void onlyAdministratorsMayActOnQueuesAsInRabbitMq() {
    Reply r = ManagementHttp.as(broker, "viewer", "pw").post("/api/queues/%2F/src/actions",
        Map.of("action", "move", "destination", "dst"));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json()).containsEntry("reason", "Not administrator user");
  }
}
