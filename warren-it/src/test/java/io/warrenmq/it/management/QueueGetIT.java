package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.Messaging;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /api/queues/{vhost}/{name}/get} with every ackmode of RabbitMQ 3.13.7
 * (rabbit_mgmt_wm_queue_get), the payload encodings and truncation, and WarrenMQ's
 * {@code ackmode: "peek"}, which reads the first messages without changing the queue.
 */
class QueueGetIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();

  private static ManagementHttp guest() {
    return ManagementHttp.guest(broker);
  }

  @BeforeAll
  static void users() {
    broker.server().broker().addUser("mgr", "pw", List.of("management"));
    broker.server().broker().setPermission("mgr", "/", new Permission("", "", ""));
  }

  /** A fresh queue with "hello" (persistent, headers, text/plain) then two bytes that are not UTF-8. */
  private static String queueWithTwoMessages() throws Exception {
    String q = Messaging.unique("get");
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare(q, false, false, false, null);
      ch.basicPublish("", q, new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("text/plain")
          .headers(Map.of("h", 1, "t", Map.of("x", "y"))).build(), Messaging.bytes("hello"));
      ch.basicPublish("", q, null, new byte[] {(byte) 0xff, 0});
    }
    return q;
  }

  private static List<Map<String, Object>> get(String q, Object body) {
    return guest().post("/api/queues/%2F/" + q + "/get", body).jsonList();
  }

  private static Map<String, Object> queue(String q) {
    return guest().get("/api/queues/%2F/" + q).json();
  }

  @Test
  void ackRequeueTrueAnswersTheMessagesAndPutsThemBackRedelivered() throws Exception {
    String q = queueWithTwoMessages();
    List<Map<String, Object>> ms = get(q, Map.of("count", 5, "ackmode", "ack_requeue_true", "encoding", "auto",
        "truncate", 3));
    assertThat(ms).hasSize(2);
    assertThat(ms.get(0)).containsEntry("payload_bytes", 5).containsEntry("redelivered", false)
        .containsEntry("exchange", "").containsEntry("routing_key", q).containsEntry("message_count", 1)
        .containsEntry("payload", "hel").containsEntry("payload_encoding", "string")
        .containsEntry("properties", Map.of("content_type", "text/plain", "delivery_mode", 2,
            "headers", Map.of("h", 1, "t", Map.of("x", "y"))));
    // not UTF-8: base64; no properties: RabbitMQ's empty list
    assertThat(ms.get(1)).containsEntry("payload", "/wA=").containsEntry("payload_encoding", "base64")
        .containsEntry("message_count", 0).containsEntry("properties", List.of());
    assertThat(queue(q)).containsEntry("messages_ready", 2).containsEntry("messages_unacknowledged", 0);
    assertThat(get(q, Map.of("count", 1, "ackmode", "reject_requeue_true", "encoding", "base64")).getFirst())
        .containsEntry("redelivered", true).containsEntry("payload", "aGVsbG8=").containsEntry("payload_encoding", "base64");
    assertThat(queue(q)).containsEntry("messages_ready", 2);
  }

  @Test
  void ackRequeueFalseTakesTheMessagesAway() throws Exception {
    String q = queueWithTwoMessages();
    assertThat(get(q, Map.of("count", "1", "ackmode", "ack_requeue_false", "encoding", "auto"))).hasSize(1);
    assertThat(queue(q)).containsEntry("messages", 1);
  }

  @Test
  void rejectRequeueFalseDeadLettersTheMessages() throws Exception {
    String q = Messaging.unique("dlq");
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare(q + ".dead", false, false, false, null);
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", "",
          "x-dead-letter-routing-key", q + ".dead"));
      ch.basicPublish("", q, null, Messaging.bytes("bye"));
      assertThat(get(q, Map.of("count", 1, "ackmode", "reject_requeue_false", "encoding", "auto"))).hasSize(1);
      GetResponse dead = ch.basicGet(q + ".dead", true);
      assertThat(Messaging.text(dead.getBody())).isEqualTo("bye");
      assertThat(queue(q)).containsEntry("messages", 0);
    }
  }

  @Test
  void peekAnswersTheFirstMessagesAndChangesNothing() throws Exception {
    String q = queueWithTwoMessages();
    List<Map<String, Object>> ms = get(q, Map.of("count", 10, "ackmode", "peek", "encoding", "auto"));
    assertThat(ms).hasSize(2);
    assertThat(ms.get(0)).containsEntry("payload", "hello").containsEntry("redelivered", false)
        .containsEntry("message_count", 1).containsEntry("payload_bytes", 5)
        .containsEntry("properties", Map.of("content_type", "text/plain", "delivery_mode", 2,
            "headers", Map.of("h", 1, "t", Map.of("x", "y"))));
    assertThat(ms.get(1)).containsEntry("payload", "/wA=").containsEntry("message_count", 0);
    assertThat(get(q, Map.of("count", 1, "ackmode", "peek", "encoding", "auto"))).hasSize(1);
    assertThat(queue(q)).containsEntry("messages_ready", 2).containsEntry("messages_unacknowledged", 0);
    // a consumer then gets the same messages, in the same order, never delivered before
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      GetResponse first = ch.basicGet(q, true);
      assertThat(Messaging.text(first.getBody())).isEqualTo("hello");
      assertThat(first.getEnvelope().isRedeliver()).isFalse();
      assertThat(ch.basicGet(q, true).getEnvelope().isRedeliver()).isFalse();
    }
  }

  @Test
  void peekSaysWhetherAMessageWasDeliveredBefore() throws Exception {
    String q = queueWithTwoMessages();
    get(q, Map.of("count", 1, "ackmode", "ack_requeue_true", "encoding", "auto"));
    List<Map<String, Object>> ms = get(q, Map.of("count", 2, "ackmode", "peek", "encoding", "auto"));
    assertThat(ms).extracting(m -> m.get("redelivered")).containsExactly(true, false);
  }

  @Test
  void aDeliveryLimitCountsGetsButNotPeeks() throws Exception {
    String q = Messaging.unique("limit");
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare(q, false, false, false, Map.of("x-delivery-limit", 0));
      ch.basicPublish("", q, null, Messaging.bytes("once"));
    }
    for (int i = 0; i < 3; i++) {
      assertThat(get(q, Map.of("count", 1, "ackmode", "peek", "encoding", "auto"))).hasSize(1);
    }
    assertThat(get(q, Map.of("count", 1, "ackmode", "ack_requeue_true", "encoding", "auto"))).hasSize(1);
    // its one delivery is used up: requeued, it is dropped at the next try
    assertThat(get(q, Map.of("count", 1, "ackmode", "ack_requeue_true", "encoding", "auto"))).isEmpty();
  }

  @Test
  void errorsAreRabbitMqs() throws Exception {
    String q = queueWithTwoMessages();
    String path = "/api/queues/%2F/" + q + "/get";
    assertThat(guest().post(path, Map.of("ackmode", "ack_requeue_true")).json())
        .containsEntry("reason", "[{key_missing,count},{key_missing,encoding}]");
    assertThat(guest().post(path, Map.of("count", 1, "ackmode", "ack_requeue_true", "encoding", "foo")).json())
        .containsEntry("reason", "Unsupported encoding. Please use auto or base64.");
    assertThat(guest().post(path, Map.of("count", "x", "ackmode", "ack_requeue_true", "encoding", "auto")).json())
        .containsEntry("reason", List.of("not_integer", "x"));
    assertThat(guest().post(path, Map.of("count", 1, "ackmode", "nope", "encoding", "auto")).status()).isEqualTo(400);
    assertThat(guest().post("/api/queues/%2F/nope/get", Map.of("count", 1, "ackmode", "peek", "encoding", "auto"))
        .json()).containsEntry("error", "not_found").containsEntry("reason", "queue_not_found");
    assertThat(guest().post("/api/queues/nov/nope/get", Map.of()).json()).containsEntry("reason", "vhost_not_found");
    ManagementHttp mgr = ManagementHttp.as(broker, "mgr", "pw");
    for (String mode : List.of("peek", "ack_requeue_true")) {
      assertThat(mgr.post(path, Map.of("count", 1, "ackmode", mode, "encoding", "auto")).json())
          .containsEntry("error", "not_authorised")
          .containsEntry("reason", "ACCESS_REFUSED - read access to queue '" + q + "' in vhost '/' refused for user 'mgr'");
    }
    assertThat(queue(q)).containsEntry("messages_ready", 2);
  }
}
