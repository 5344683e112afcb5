package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/bindings} as RabbitMQ 3.13.7 answers it (rabbit_mgmt_wm_bindings, _binding): the
 * listings with the default exchange's implicit bindings, POST with 201 and a location, and one
 * binding named by its properties_key, which is RabbitMQ's own for the same arguments.
 */
class BindingsApiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();

  private static ManagementHttp guest() {
    return ManagementHttp.guest(broker);
  }

  @BeforeAll
  static void topology() throws Exception {
    broker.server().broker().addUser("mgr", "pw", List.of("management"));
    broker.server().broker().setPermission("mgr", "/", new Permission("^m\\.", "^m\\.", "^m\\."));
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.exchangeDeclare("b.x", "topic");
      ch.queueDeclare("b.q", false, false, false, null);
      ch.queueDeclare("m.q", false, false, false, null);
      // the Java client sends an Integer as a signedint: RabbitMQ's key for this is "a.%23~YZGLPQ"
      ch.queueBind("b.q", "b.x", "a.#", Map.of("k", "v", "n", 1));
      ch.queueBind("b.q", "b.x", "");
      ch.exchangeBind("amq.fanout", "b.x", "k2");
    }
  }

  @Test
  void theVhostsBindingsAreListedWithRabbitMqsPropertiesKeys() {
    List<Map<String, Object>> bs = guest().get("/api/bindings/%2F").jsonList();
    assertThat(bs).contains(
        Map.of("source", "", "vhost", "/", "destination", "b.q", "destination_type", "queue", "routing_key", "b.q",
            "arguments", Map.of(), "properties_key", "b.q"),
        Map.of("source", "b.x", "vhost", "/", "destination", "amq.fanout", "destination_type", "exchange",
            "routing_key", "k2", "arguments", Map.of(), "properties_key", "k2"),
        Map.of("source", "b.x", "vhost", "/", "destination", "b.q", "destination_type", "queue", "routing_key", "",
            "arguments", Map.of(), "properties_key", "~"),
        Map.of("source", "b.x", "vhost", "/", "destination", "b.q", "destination_type", "queue", "routing_key", "a.#",
            "arguments", Map.of("k", "v", "n", 1), "properties_key", "a.%23~YZGLPQ"));
    // sorted by source, destination, routing key as RabbitMQ sorts them
    int implicit = bs.indexOf(bs.stream().filter(b -> b.get("source").equals("")).findFirst().orElseThrow());
    assertThat(implicit).isZero();
    assertThat(guest().get("/api/bindings").jsonList()).containsAll(bs);
  }

  @Test
  void theExchangesSourceAndDestinationBindingsAreItsOwn() {
    assertThat(guest().get("/api/exchanges/%2F/b.x/bindings/source").jsonList()).hasSize(3);
    assertThat(guest().get("/api/exchanges/%2F/amq.fanout/bindings/destination").jsonList()).singleElement()
        .satisfies(b -> assertThat(b).containsEntry("source", "b.x"));
    assertThat(guest().get("/api/exchanges/%2F/nope/bindings/source").jsonList()).isEmpty();
  }

  @Test
  void postBindsAndAnswers201WithTheBindingsRelativeLocation() {
    Reply r = guest().post("/api/bindings/%2F/e/b.x/q/b.q", Map.of("routing_key", "rk", "arguments",
        Map.of("z", 1, "a", "b")));
    assertThat(r.status()).isEqualTo(201);
    // the arguments sorted by name and hashed as RabbitMQ does: ~GS70pQ; the key quoted again
    assertThat(r.header("location")).isEqualTo("b.q/rk~GS70pQ");
    Map<String, Object> b = guest().get("/api/bindings/%2F/e/b.x/q/b.q/rk~GS70pQ").json();
    assertThat(b).containsEntry("routing_key", "rk").containsEntry("arguments", Map.of("a", "b", "z", 1));
    Reply e = guest().post("/api/bindings/%2F/e/b.x/e/amq.topic", Map.of("routing_key", "t.#"));
    assertThat(e.header("location")).isEqualTo("amq.topic/t.%2523");
    assertThat(guest().get("/api/bindings/%2F/e/b.x/e/amq.topic/t.%2523").json()).containsEntry("routing_key", "t.#");
  }

  @Test
  void theBindingsBetweenTwoEndsAreListed() {
    assertThat(guest().get("/api/bindings/%2F/e/b.x/q/b.q").jsonList()).extracting(b -> b.get("routing_key"))
        .contains("", "a.#");
    assertThat(guest().get("/api/bindings/%2F/e/amq.default/q/b.q").jsonList()).singleElement()
        .satisfies(b -> assertThat(b).containsEntry("properties_key", "b.q"));
    assertThat(guest().get("/api/bindings/%2F/e/b.x/x/b.q").status()).isEqualTo(404);
  }

  @Test
  void oneBindingIsFoundByItsPropertiesKeyAndDeleted() {
    guest().post("/api/bindings/%2F/e/b.x/q/b.q", Map.of("routing_key", "to.delete"));
    assertThat(guest().get("/api/bindings/%2F/e/b.x/q/b.q/to.delete").status()).isEqualTo(200);
    assertThat(guest().delete("/api/bindings/%2F/e/b.x/q/b.q/to.delete").status()).isEqualTo(204);
    assertThat(guest().get("/api/bindings/%2F/e/b.x/q/b.q/to.delete").status()).isEqualTo(404);
    assertThat(guest().delete("/api/bindings/%2F/e/b.x/q/b.q/to.delete").status()).isEqualTo(404);
    // a hash that matches no arguments, and too many parts, name nothing
    assertThat(guest().get("/api/bindings/%2F/e/b.x/q/b.q/a.%2523~AAAAAA").status()).isEqualTo(404);
    assertThat(guest().get("/api/bindings/%2F/e/b.x/q/b.q/a~b~c").status()).isEqualTo(404);
    assertThat(guest().get("/api/bindings/%2F/e/b.x/q/b.q/a.%2523~YZGLPQ").json()).containsEntry("routing_key", "a.#");
  }

  @Test
  void theDefaultExchangesBindingsExistButCannotChange() {
    assertThat(guest().get("/api/bindings/%2F/e/amq.default/q/b.q/b.q").json()).containsEntry("source", "");
    assertThat(guest().delete("/api/bindings/%2F/e/amq.default/q/b.q/b.q").json()).containsEntry("reason", "Access refused.");
    assertThat(guest().post("/api/bindings/%2F/e/amq.default/q/b.q", Map.of()).json())
        .containsEntry("reason", "Access refused.");
  }

  @Test
  void bindingErrorsAreRabbitMqs() {
    assertThat(guest().post("/api/bindings/%2F/e/nope/q/b.q", Map.of()).json()).containsEntry("error", "not_found")
        .containsEntry("reason", "no exchange 'nope' in vhost '/'");
    assertThat(guest().post("/api/bindings/%2F/e/b.x/q/nope", Map.of()).json())
        .containsEntry("reason", "no queue 'nope' in vhost '/'");
    assertThat(guest().post("/api/bindings/nov/e/b.x/q/b.q", Map.of()).json()).containsEntry("reason", "vhost_not_found");
    // write on the queue is there, read on the exchange is not
    assertThat(ManagementHttp.as(broker, "mgr", "pw").post("/api/bindings/%2F/e/b.x/q/m.q", Map.of()).json())
        .containsEntry("reason", "Access refused.");
  }
}
