package io.warrenmq.it.management.ui;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.it.support.BrokerExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** The exchanges list and an exchange's page: add, bind to a queue, publish (routed or not), delete. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExchangeUiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  static UiBrowser ui;
  static final String X = "ui.shop";
  static final String Q = "ui.shop.orders";

  @BeforeAll
  static void start() throws Exception {
    ui = UiBrowser.on(broker, "exchange");
    assertThat(ui.api.put("/api/queues/%2F/" + Q, Map.of("durable", true)).status()).isIn(201, 204);
    ui.loginAsGuest();
  }

  @AfterAll
  static void stop() throws Exception {
    if (ui != null) {
      ui.close();
    }
  }

  static long messages(String queue) {
    Object m = ui.api.get("/api/queues/%2F/" + queue).json().get("messages");
    return m == null ? -1 : ((Number) m).longValue();
  }

  @Test
  @Order(1)
  void theListShowsTheStandardExchangesAndOneAddedInTheForm() {
    ui.open("#/exchanges");
    ui.waitRow("#exchanges-list", "amq.topic");
    assertThat(ui.rows("#exchanges-list")).anyMatch(r -> r.contains("(AMQP default)"));
    ui.type("add-exchange", "name", X);
    ui.select("add-exchange", "type", "topic");
    ui.submit("add-exchange");
    ui.notice("Exchange " + X + " added.");
    ui.waitRow("#exchanges-list", X);
    assertThat(ui.api.get("/api/exchanges/%2F/" + X).json()).containsEntry("type", "topic").containsEntry("durable", true);
    ui.screenshot("list");
  }

  @Test
  @Order(2)
  void aBindingFromTheExchangePageRoutesWhatItPublishes() {
    ui.open("#/exchanges/%2F/" + X);
    ui.waitText(By.tagName("h1"), "Exchange " + X);
    ui.type("add-binding", "destination", Q);
    ui.type("add-binding", "routing_key", "order.*");
    ui.submit("add-binding");
    ui.notice("Binding added.");
    ui.waitRow("#bindings-source", Q);

    ui.type("publish", "routing_key", "order.new");
    ui.type("publish", "payload", "{\"id\": 1}");
    ui.submit("publish");
    ui.notice("Message published.");
    eventually("routed to the bound queue", () -> messages(Q) == 1);

    ui.type("publish", "routing_key", "invoice.new");
    ui.submit("publish");
    ui.notice("Message published, but not routed.");
    ui.screenshot("page");
    assertThat(messages(Q)).isEqualTo(1);

    ui.clickInRow("#bindings-source", Q, "Unbind");
    ui.waitNoRow("#bindings-source", Q);
  }

  @Test
  @Order(3)
  void theDefaultExchangeCannotBeBoundButPublishes() {
    ui.open("#/exchanges/%2F/amq.default");
    ui.waitText(By.tagName("h1"), "(AMQP default)");
    assertThat(ui.bodyText()).contains("implicitly bound to every queue");
    assertThat(ui.driver().findElements(By.id("add-binding"))).isEmpty();
    ui.type("publish", "routing_key", Q);
    ui.submit("publish");
    ui.notice("Message published.");
    eventually("in the queue", () -> messages(Q) == 2);
  }

  @Test
  @Order(4)
  void deleteRemovesTheExchange() {
    ui.open("#/exchanges/%2F/" + X);
    ui.submit("delete");
    ui.confirm();
    ui.notice("Exchange " + X + " deleted.");
    ui.waitNoRow("#exchanges-list", X);
    assertThat(ui.api.get("/api/exchanges/%2F/" + X).status()).isEqualTo(404);
  }
}
