package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import io.warrenmq.it.support.Messaging;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/queues} as RabbitMQ 3.13.7 answers it (rabbit_mgmt_wm_queues, _queue, _queue_purge,
 * _queue_actions, _bindings): listings with pagination, filters, sorting and columns; one queue
 * with honest figures; declaring, deleting and purging through the user's channel permissions.
 */
class QueuesApiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();

  private static ManagementHttp guest() {
    return ManagementHttp.guest(broker);
  }

  @BeforeAll
  static void setUp() throws Exception {
    var b = broker.server().broker();
    b.addUser("mgr", "pw", List.of("management"));
    b.setPermission("mgr", "/", new Permission("^m\\.", "^m\\.", "^m\\."));
    b.addVhost("qv");
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      for (int i = 0; i < 12; i++) {
        ch.queueDeclare("list." + (char) ('a' + i), false, false, false, null);
      }
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", "list.a", null, Messaging.bytes("m" + i));
      }
    }
  }

  @Test
  void theListingIsSortedByVhostAndNameWithRabbitMqsBasicFields() {
    List<Map<String, Object>> qs = guest().get("/api/queues/%2F").jsonList();
    List<Object> names = qs.stream().map(q -> q.get("name")).filter(n -> n.toString().startsWith("list.")).toList();
    assertThat(names).containsExactly("list.a", "list.b", "list.c", "list.d", "list.e", "list.f", "list.g", "list.h",
        "list.i", "list.j", "list.k", "list.l");
    Map<String, Object> a = qs.stream().filter(q -> q.get("name").equals("list.a")).findFirst().orElseThrow();
    assertThat(a).containsEntry("vhost", "/").containsEntry("durable", false).containsEntry("auto_delete", false)
        .containsEntry("exclusive", false).containsEntry("arguments", Map.of()).containsEntry("type", "classic")
        .containsEntry("state", "running").containsEntry("messages", 3).containsEntry("messages_ready", 3)
        .containsEntry("messages_unacknowledged", 0).containsEntry("consumers", 0)
        .containsEntry("node", broker.server().broker().pids().node())
        .containsEntry("effective_policy_definition", Map.of());
    // 3.13's basic listing leaves out what has no value
    assertThat(a).doesNotContainKeys("policy", "exclusive_consumer_tag", "consumer_details");
  }

  @Test
  void aPageHasRabbitMqsWrapperAndTheNameFilterIsACaseInsensitiveSubstringOrARegex() {
    Map<String, Object> p = guest().get("/api/queues/%2F?page=2&page_size=5&name=LIST.&columns=name").json();
    assertThat(p).containsEntry("page", 2).containsEntry("page_size", 5).containsEntry("item_count", 5)
        .containsEntry("filtered_count", 12).containsEntry("page_count", 3);
    assertThat(p.get("items")).isEqualTo(List.of(Map.of("name", "list.f"), Map.of("name", "list.g"),
        Map.of("name", "list.h"), Map.of("name", "list.i"), Map.of("name", "list.j")));
    Map<String, Object> re = guest().get("/api/queues/%2F?page=1&name=%5Elist%5C.%5Bab%5D%24&use_regex=true&columns=name")
        .json();
    assertThat(re.get("items")).isEqualTo(List.of(Map.of("name", "list.a"), Map.of("name", "list.b")));
    Map<String, Object> rev = guest().get("/api/queues/%2F?page=1&page_size=1&name=list.&sort_reverse=true&columns=name")
        .json();
    assertThat(rev.get("items")).isEqualTo(List.of(Map.of("name", "list.l")));
  }

  @Test
  void sortingByAnotherFieldAndDottedColumnsWorkAsInRabbitMq() {
    List<Map<String, Object>> qs = guest().get("/api/queues/%2F?sort=messages&sort_reverse=true&columns=name,messages")
        .jsonList();
    assertThat(qs.getFirst()).isEqualTo(Map.of("name", "list.a", "messages", 3));
    guest().put("/api/queues/%2F/list.args", Map.of("arguments", Map.of("x-max-length", 7, "x-queue-type", "classic")));
    assertThat(guest().get("/api/queues/%2F/list.args?columns=name,arguments.x-max-length").json())
        .isEqualTo(Map.of("name", "list.args", "arguments", Map.of("x-max-length", 7)));
  }

  @Test
  void paginationErrorsAreRabbitMqs() {
    assertThat(guest().get("/api/queues?page=1&page_size=501").json())
        .containsEntry("error", "invalid_pagination_parameters")
        .containsEntry("reason", "Invalid pagination parameters: page number 1, page size 501");
    assertThat(guest().get("/api/queues?page=0").json())
        .containsEntry("reason", "Invalid pagination parameters: page number 0, page size undefined");
    assertThat(guest().get("/api/queues?page=x").json()).containsEntry("reason", "Pagination parameters are invalid");
    Reply out = guest().get("/api/queues/%2F?page=99");
    assertThat(out.status()).isEqualTo(400);
    assertThat(out.json()).containsEntry("error", "page_out_of_range");
  }

  @Test
  void withDisableStatsOnlyTheDefinitionIsListedAndQueueTotalsAddTheCounts() {
    Map<String, Object> q = guest().get("/api/queues/%2F?disable_stats=true").jsonList().stream()
        .filter(x -> x.get("name").equals("list.a")).findFirst().orElseThrow();
    assertThat(q).containsKeys("name", "vhost", "durable", "auto_delete", "exclusive", "arguments", "node", "type",
        "state").doesNotContainKeys("messages", "consumers");
    Map<String, Object> t = guest().get("/api/queues/%2F?disable_stats=true&enable_queue_totals=true").jsonList()
        .stream().filter(x -> x.get("name").equals("list.a")).findFirst().orElseThrow();
    assertThat(t).containsEntry("messages", 3).containsEntry("messages_ready", 3);
  }

  @Test
  void theDetailedListingKeepsEmptyFieldsAsNull() {
    Map<String, Object> q = guest().get("/api/queues/detailed").jsonList().stream()
        .filter(x -> x.get("name").equals("list.b")).findFirst().orElseThrow();
    assertThat(q).containsEntry("policy", null).containsEntry("exclusive_consumer_tag", null);
  }

  @Test
  void oneQueueShowsItsConsumersAndTheOwnerOfAnExclusiveQueue() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      String q = ch.queueDeclare("", false, true, false, null).getQueue();
      ch.basicQos(9);
      ch.basicConsume(q, false, "tag-1", false, true, Map.of("x-priority", 2), new DefaultConsumer(ch));
      Map<String, Object> json = guest().get("/api/queues/%2F/" + q).json();
      assertThat(json).containsEntry("exclusive", true).containsEntry("consumers", 1)
          .containsEntry("exclusive_consumer_tag", "tag-1");
      @SuppressWarnings("unchecked")
      Map<String, Object> owner = (Map<String, Object>) json.get("owner_pid_details");
      assertThat(owner).containsEntry("peer_host", "127.0.0.1").containsKey("peer_port")
          .containsEntry("name", "127.0.0.1:" + owner.get("peer_port") + " -> 127.0.0.1:" + broker.port());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> consumers = (List<Map<String, Object>>) json.get("consumer_details");
      assertThat(consumers).singleElement().satisfies(d -> assertThat(d).containsEntry("consumer_tag", "tag-1")
          .containsEntry("ack_required", true).containsEntry("exclusive", true).containsEntry("prefetch_count", 9)
          .containsEntry("active", true).containsEntry("activity_status", "up")
          .containsEntry("arguments", Map.of("x-priority", 2)).containsEntry("queue", Map.of("name", q, "vhost", "/")));
    }
  }

  @Test
  void putDeclaresWith201ThenMatchingRedeclaresAre204AndInequivalentOnes400() {
    Map<String, Object> body = Map.of("durable", true, "arguments", Map.of("x-max-length", 5));
    assertThat(guest().put("/api/queues/%2F/q.put", body).status()).isEqualTo(201);
    assertThat(guest().put("/api/queues/%2F/q.put", body).status()).isEqualTo(204);
    Reply r = guest().put("/api/queues/%2F/q.put", Map.of("durable", false));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json()).containsEntry("reason",
        "inequivalent arg 'durable' for queue 'q.put' in vhost '/': received 'false' but current is 'true'");
    assertThat(guest().get("/api/queues/%2F/q.put").json()).containsEntry("durable", true)
        .containsEntry("arguments", Map.of("x-max-length", 5));
  }

  @Test
  void declareErrorsAreRabbitMqs() {
    assertThat(guest().put("/api/queues/%2F/amq.q", Map.of()).json()).containsEntry("reason", "Access refused.");
    assertThat(guest().put("/api/queues/nope/q", Map.of()).json()).containsEntry("reason", "vhost_not_found");
    assertThat(guest().put("/api/queues/%2F/q.b", Map.of("auto_delete", 3)).json())
        .containsEntry("reason", List.of("not_boolean", 3));
    String longName = "n".repeat(256);
    assertThat(guest().put("/api/queues/%2F/" + longName, Map.of()).json())
        .containsEntry("reason", "queue should be less than 255 bytes, actually was 256\n");
    Reply passive = guest().put("/api/queues/%2F/q.none", Map.of("passive", true));
    assertThat(passive.status()).isEqualTo(404);
    assertThat(passive.json()).containsEntry("reason", "no queue 'q.none' in vhost '/'");
  }

  @Test
  void deleteHonoursIfEmptyAndIfUnused() throws Exception {
    guest().put("/api/queues/%2F/q.del", Map.of());
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.confirmSelect(); // the message is in the queue before the HTTP delete asks
      ch.basicPublish("", "q.del", null, Messaging.bytes("x"));
      ch.waitForConfirmsOrDie(10_000);
      assertThat(guest().delete("/api/queues/%2F/q.del?if-empty=true").json())
          .containsEntry("reason", "queue 'q.del' in vhost '/' not empty");
      ch.basicConsume("q.del", true, new DefaultConsumer(ch));
      assertThat(guest().delete("/api/queues/%2F/q.del?if-unused=true").json())
          .containsEntry("reason", "queue 'q.del' in vhost '/' in use");
      assertThat(guest().delete("/api/queues/%2F/q.del").status()).isEqualTo(204);
    }
    assertThat(guest().get("/api/queues/%2F/q.del").status()).isEqualTo(404);
    assertThat(guest().delete("/api/queues/%2F/q.del").json()).containsEntry("error", "Object Not Found");
  }

  @Test
  void anotherConnectionsExclusiveQueueCannotBeDeletedOrPurged() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      String q = ch.queueDeclare("", false, true, false, null).getQueue();
      Reply r = guest().delete("/api/queues/%2F/" + q);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().get("reason").toString()).startsWith("cannot obtain exclusive access to locked queue");
      assertThat(guest().delete("/api/queues/%2F/" + q + "/contents").status()).isEqualTo(400);
    }
  }

  @Test
  void deletingContentsPurgesTheQueue() throws Exception {
    guest().put("/api/queues/%2F/q.purge", Map.of());
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.basicPublish("", "q.purge", null, "x".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("", "q.purge", null, "y".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(guest().delete("/api/queues/%2F/q.purge/contents").status()).isEqualTo(204);
    assertThat(guest().get("/api/queues/%2F/q.purge").json()).containsEntry("messages", 0);
    assertThat(guest().delete("/api/queues/%2F/nope/contents").status()).isEqualTo(404);
  }

  @Test
  void theUsersPermissionsDecideAsOnAChannel() {
    ManagementHttp mgr = ManagementHttp.as(broker, "mgr", "pw");
    assertThat(mgr.put("/api/queues/%2F/m.q", Map.of()).status()).isEqualTo(201);
    assertThat(mgr.put("/api/queues/%2F/x.q", Map.of()).json()).containsEntry("reason", "Access refused.");
    assertThat(mgr.delete("/api/queues/%2F/list.a/contents").json()).containsEntry("reason", "Access refused.");
    assertThat(mgr.get("/api/queues").jsonList()).allSatisfy(q -> assertThat(q).containsEntry("vhost", "/"));
    assertThat(mgr.get("/api/queues/qv").json()).containsEntry("reason", "User not authorised to access virtual host");
  }

  @Test
  void theQueuesBindingsStartWithTheDefaultExchangesImplicitOne() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueBind("list.c", "amq.direct", "k1");
      List<Map<String, Object>> bs = guest().get("/api/queues/%2F/list.c/bindings").jsonList();
      assertThat(bs).hasSize(2);
      assertThat(bs.get(0)).isEqualTo(Map.of("source", "", "vhost", "/", "destination", "list.c",
          "destination_type", "queue", "routing_key", "list.c", "arguments", Map.of(), "properties_key", "list.c"));
      assertThat(bs.get(1)).containsEntry("source", "amq.direct").containsEntry("routing_key", "k1")
          .containsEntry("properties_key", "k1");
    }
  }

  @Test
  void actionsAreForAdministratorsAndOnlySyncAndCancelSyncAreKnown() {
    assertThat(guest().post("/api/queues/%2F/list.a/actions", Map.of("action", "sync")).status()).isEqualTo(204);
    assertThat(guest().post("/api/queues/%2F/list.a/actions", Map.of("action", "cancel_sync")).status()).isEqualTo(204);
    assertThat(guest().post("/api/queues/%2F/list.a/actions", Map.of("action", "foo")).json())
        .containsEntry("reason", List.of("unknown", "foo"));
    assertThat(guest().post("/api/queues/%2F/list.a/actions", Map.of()).json())
        .containsEntry("reason", "[{key_missing,action}]");
    assertThat(guest().post("/api/queues/%2F/nope/actions", Map.of("action", "sync")).json())
        .containsEntry("reason", "queue_not_found");
    assertThat(ManagementHttp.as(broker, "mgr", "pw").post("/api/queues/%2F/m.q/actions", Map.of("action", "sync"))
        .json()).containsEntry("reason", "Not administrator user");
  }
}
