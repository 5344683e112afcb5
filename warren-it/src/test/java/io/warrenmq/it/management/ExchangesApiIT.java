package io.warrenmq.it.management;

import static io.warrenmq.it.support.ManagementHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import io.warrenmq.it.support.Messaging;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/exchanges} as RabbitMQ 3.13.7's rabbit_mgmt_wm_exchanges, _exchange and
 * _exchange_publish answer: the listings, one exchange (amq.default naming the default one),
 * declaring with PUT through the user's channel permissions, DELETE with if-unused, and publishing.
 */
class ExchangesApiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();

  private static ManagementHttp guest() {
    return ManagementHttp.guest(broker);
  }

  @BeforeAll
  static void users() {
    var b = broker.server().broker();
    b.addUser("mgr", "pw", List.of("management"));
    b.setPermission("mgr", "/", new Permission("^m\\.", "^m\\.", "^m\\."));
    b.addUser("noperm-admin", "pw", List.of("administrator"));
    b.addUser("plain", "pw", List.of());
  }

  @Test
  void theListingHasRabbitMqsFieldsForEveryExchangeOfEveryVhostIncludingTheDefaultOne() {
    List<Map<String, Object>> xs = guest().get("/api/exchanges").jsonList();
    Map<String, Object> def = xs.stream().filter(x -> x.get("name").equals("")).findFirst().orElseThrow();
    assertThat(def).containsEntry("vhost", "/").containsEntry("type", "direct").containsEntry("durable", true)
        .containsEntry("auto_delete", false).containsEntry("internal", false).containsEntry("arguments", Map.of());
    assertThat(xs).extracting(x -> x.get("name")).contains("amq.direct", "amq.fanout", "amq.topic", "amq.headers",
        "amq.match", "amq.rabbitmq.trace");
    assertThat(guest().get("/api/exchanges/" + enc("/")).jsonList()).hasSameSizeAs(xs);
  }

  @Test
  void putDeclaresAndAnswers201ThenAMatchingRedeclareIs204() {
    Map<String, Object> body = Map.of("type", "topic", "durable", true, "arguments", Map.of("alternate-exchange", "ae"));
    assertThat(guest().put("/api/exchanges/%2F/x.declared", body).status()).isEqualTo(201);
    assertThat(guest().put("/api/exchanges/%2F/x.declared", body).status()).isEqualTo(204);
    Map<String, Object> x = guest().get("/api/exchanges/%2F/x.declared").json();
    assertThat(x).containsEntry("name", "x.declared").containsEntry("type", "topic").containsEntry("durable", true)
        .containsEntry("arguments", Map.of("alternate-exchange", "ae"));
  }

  @Test
  void anInequivalentRedeclareIs400WithRabbitMqsText() {
    guest().put("/api/exchanges/%2F/x.ineq", Map.of("type", "topic"));
    Reply r = guest().put("/api/exchanges/%2F/x.ineq", Map.of("type", "direct"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json()).containsEntry("error", "bad_request").containsEntry("reason",
        "inequivalent arg 'type' for exchange 'x.ineq' in vhost '/': received 'direct' but current is 'topic'");
  }

  @Test
  void withoutATypeTheExchangeIsDirectAndNotDurable() {
    assertThat(guest().put("/api/exchanges/%2F/x.plain", Map.of()).status()).isEqualTo(201);
    assertThat(guest().get("/api/exchanges/%2F/x.plain").json()).containsEntry("type", "direct")
        .containsEntry("durable", false);
  }

  @Test
  void badFieldsAre400() {
    assertThat(guest().put("/api/exchanges/%2F/x.bad", Map.of("type", "nope")).json())
        .containsEntry("reason", "unknown exchange type 'nope'");
    assertThat(guest().put("/api/exchanges/%2F/x.bad", Map.of("durable", "yes")).json())
        .containsEntry("error", "bad_request").containsEntry("reason", List.of("not_boolean", "yes"));
    assertThat(guest().put("/api/exchanges/%2F/x.bad", "{not json").json()).containsEntry("reason", "not_json");
  }

  @Test
  void reservedNamesAndMissingVhostsAreRefused() {
    Reply amq = guest().put("/api/exchanges/%2F/amq.mine", Map.of());
    assertThat(amq.status()).isEqualTo(401);
    assertThat(amq.json()).containsEntry("error", "not_authorised").containsEntry("reason", "Access refused.");
    Reply vhost = guest().put("/api/exchanges/nope/x", Map.of());
    assertThat(vhost.status()).isEqualTo(404);
    assertThat(vhost.json()).containsEntry("error", "not_found").containsEntry("reason", "vhost_not_found");
  }

  @Test
  void anUnknownExchangeIsRabbitMqsNotFound() {
    Reply r = guest().get("/api/exchanges/%2F/nope");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json()).containsEntry("error", "Object Not Found");
    assertThat(guest().delete("/api/exchanges/%2F/nope").status()).isEqualTo(404);
  }

  @Test
  void amqDefaultNamesTheDefaultExchangeWhichCannotBeDeleted() {
    assertThat(guest().get("/api/exchanges/%2F/amq.default").json()).containsEntry("name", "");
    assertThat(guest().delete("/api/exchanges/%2F/amq.default").json()).containsEntry("reason", "Access refused.");
    assertThat(guest().delete("/api/exchanges/%2F/amq.direct").status()).isEqualTo(401);
  }

  @Test
  void deleteWithIfUnusedRefusesAnExchangeWithBindings() throws Exception {
    guest().put("/api/exchanges/%2F/x.used", Map.of("type", "fanout"));
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      String q = ch.queueDeclare().getQueue();
      ch.queueBind(q, "x.used", "");
      Reply r = guest().delete("/api/exchanges/%2F/x.used?if-unused=true");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json()).containsEntry("reason", "exchange 'x.used' in vhost '/' in use");
      assertThat(guest().delete("/api/exchanges/%2F/x.used").status()).isEqualTo(204);
      assertThat(guest().get("/api/exchanges/%2F/x.used").status()).isEqualTo(404);
    }
  }

  @Test
  void declaringNeedsTheUsersConfigurePermissionAsOnAChannel() {
    ManagementHttp mgr = ManagementHttp.as(broker, "mgr", "pw");
    assertThat(mgr.put("/api/exchanges/%2F/m.mine", Map.of()).status()).isEqualTo(201);
    Reply r = mgr.put("/api/exchanges/%2F/other", Map.of());
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json()).containsEntry("reason", "Access refused.");
    // an administrator without a permission on the vhost passes the API's check, not the channel's
    assertThat(ManagementHttp.as(broker, "noperm-admin", "pw").put("/api/exchanges/%2F/m.x", Map.of()).status())
        .isEqualTo(401);
    assertThat(ManagementHttp.as(broker, "plain", "pw").get("/api/exchanges").json())
        .containsEntry("reason", "Not management user");
  }

  @Test
  void aManagementUserListsTheExchangesOfTheVhostsItMayUseAndIsRefusedOthers() {
    broker.server().broker().addVhost("ex-other");
    ManagementHttp mgr = ManagementHttp.as(broker, "mgr", "pw");
    assertThat(mgr.get("/api/exchanges").jsonList()).allSatisfy(x -> assertThat(x).containsEntry("vhost", "/"));
    Reply r = mgr.get("/api/exchanges/ex-other");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json()).containsEntry("reason", "User not authorised to access virtual host");
  }

  @Test
  void publishAnswersRoutedTrueOnceTheMessageIsInItsQueue() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("pub.q", true, false, false, null);
      Reply r = guest().post("/api/exchanges/%2F/amq.default/publish", Map.of("routing_key", "pub.q",
          "payload", "hello", "payload_encoding", "string",
          "properties", Map.of("delivery_mode", 2, "headers", Map.of("a", 1, "b", List.of("x", true)),
              "content_type", "text/plain")));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"routed\":true}");
      GetResponse g = ch.basicGet("pub.q", true);
      assertThat(Messaging.text(g.getBody())).isEqualTo("hello");
      assertThat(g.getProps().getDeliveryMode()).isEqualTo(2);
      assertThat(g.getProps().getContentType()).isEqualTo("text/plain");
      assertThat(g.getProps().getHeaders().get("a")).isEqualTo(1L);
      assertThat(g.getProps().getHeaders().get("b").toString()).isEqualTo("[x, true]");
    }
  }

  @Test
  void publishOfAnUnroutableMessageAnswersRoutedFalse() {
    Reply r = guest().post("/api/exchanges/%2F/amq.default/publish", Map.of("routing_key", "nowhere",
        "payload", "aGk=", "payload_encoding", "base64", "properties", Map.of()));
    assertThat(r.json()).isEqualTo(Map.of("routed", false));
  }

  @Test
  void publishErrorsAreRabbitMqs() {
    String path = "/api/exchanges/%2F/amq.default/publish";
    assertThat(guest().post(path, Map.of("routing_key", "k", "payload", "x", "properties", Map.of())).json())
        .containsEntry("reason", "[{key_missing,payload_encoding}]");
    assertThat(guest().post(path, Map.of("routing_key", "k", "payload", 5, "payload_encoding", "string",
        "properties", Map.of())).json()).containsEntry("reason", "payload_not_string");
    assertThat(guest().post(path, Map.of("routing_key", "k", "payload", "x", "payload_encoding", "foo",
        "properties", Map.of())).json()).containsEntry("reason", List.of("unsupported_encoding", "foo"));
    assertThat(guest().post(path, Map.of("routing_key", "k", "payload", "x", "payload_encoding", "string",
        "properties", Map.of("delivery_mode", "2"))).json()).containsEntry("reason", List.of("not_int", "delivery_mode"));
    assertThat(guest().post(path, Map.of("routing_key", "k", "payload", "x", "payload_encoding", "string",
        "properties", Map.of("user_id", "bob"))).json()).containsEntry("reason",
        "406 PRECONDITION_FAILED - user_id property set to 'bob' but authenticated user was 'guest'");
    assertThat(guest().post("/api/exchanges/%2F/amq.rabbitmq.trace/publish", Map.of("routing_key", "k",
        "payload", "x", "payload_encoding", "string", "properties", Map.of())).json()).containsEntry("reason",
        "403 ACCESS_REFUSED - cannot publish to internal exchange 'amq.rabbitmq.trace' in vhost '/'");
    assertThat(ManagementHttp.as(broker, "mgr", "pw").post(path, Map.of("routing_key", "k", "payload", "x",
        "payload_encoding", "string", "properties", Map.of())).json()).containsEntry("reason",
        "403 ACCESS_REFUSED - write access to exchange 'amq.default' in vhost '/' refused for user 'mgr'");
    Reply missing = guest().post("/api/exchanges/%2F/nope/publish", Map.of());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json()).containsEntry("reason", "exchange_not_found");
  }
}
