package io.warrenmq.it.management.ui;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.it.support.BrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The queues list (add, filter, regex, sort, paging) and a queue's page as a user clicks through
 * it: publish, peek (the message is seen and stays), get in RabbitMQ's ackmodes, bindings,
 * consumers, move, purge and delete; then the exchanges list and an exchange's page: add, bind
 * to a queue, publish (routed or not), delete.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueuesAndExchangesUiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  static UiBrowser ui;
  static final String Q = "ui.orders";
  static final String X = "ui.shop";
  static final String XQ = "ui.shop.q";

  @BeforeAll
  static void start() throws Exception {
    ui = UiBrowser.on(broker, "objects");
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

  static void publish(String queue, String payload) {
    Map<String, Object> r = ui.api.post("/api/exchanges/%2F/amq.default/publish", Map.of("properties", Map.of(),
        "routing_key", queue, "payload", payload, "payload_encoding", "string")).json();
    assertThat(r).containsEntry("routed", true);
  }

  @Test
  @Order(1)
  void aQueueAddedInTheFormAppearsInTheList() {
    ui.open("#/queues");
    ui.waitText(By.tagName("h1"), "Queues");
    ui.type("add-queue", "name", Q);
    ui.argument("add-queue", "x-max-length", "1000");
    ui.submit("add-queue");
    ui.notice("Queue " + Q + " added.");
    ui.waitRow("#queues-list", Q);
    assertThat(ui.api.get("/api/queues/%2F/" + Q).json()).containsEntry("durable", true)
        .containsEntry("arguments", Map.of("x-max-length", 1000));
    ui.screenshot("list");
  }

  @Test
  @Order(2)
  void theListPagesFiltersWithOrWithoutRegexAndSorts() {
    for (int i = 0; i < 25; i++) {
      ui.api.put("/api/queues/%2F/" + String.format("bulk-%02d", i), Map.of("durable", false));
    }
    ui.open("#/queues");
    ui.select("queues-list", "page-size", "20"); // not a form field: the listing's own select
    ui.waitText(By.cssSelector("#queues-list .summary"), "items");
    assertThat(ui.rows("#queues-list")).hasSize(20);
    assertThat(ui.driver().findElement(By.cssSelector("#queues-list .page-count")).getText()).isEqualTo("of 2");

    ui.type("queues-list", "filter", "bulk-0");
    ui.waitText(By.cssSelector("#queues-list .summary"), "10 of ");
    assertThat(ui.rows("#queues-list")).allMatch(r -> r.contains("bulk-0"));

    ui.click(By.cssSelector("#queues-list input.regex"));
    ui.type("queues-list", "filter", "^bulk-1[0-2]$");
    ui.waitText(By.cssSelector("#queues-list .summary"), "3 of ");

    ui.sortBy("#queues-list", "Name"); // already the sort key, so reversed
    ui.waitText(By.cssSelector("#queues-list tbody tr:first-child"), "bulk-12");
    assertThat(ui.rows("#queues-list").getLast()).contains("bulk-10");
    ui.screenshot("filtered");
    // back to the defaults for the next tests
    ui.click(By.cssSelector("#queues-list input.regex"));
    ui.driver().findElement(By.cssSelector("#queues-list input.filter")).clear();
    ui.sortBy("#queues-list", "Name");
  }

  @Test
  @Order(3)
  void aMessagePublishedFromTheQueuePageIsSeenByPeekAndStaysInTheQueue() {
    ui.open("#/queues/%2F/" + Q);
    ui.waitText(By.tagName("h1"), "Queue " + Q);
    ui.type("publish", "payload", "hello peek");
    ui.submit("publish");
    ui.notice("Message published.");
    eventually("the message is in the queue", () -> messages(Q) == 1);

    assertThat(ui.bodyText()).contains("it changes nothing");
    ui.submit("peek");
    ui.waitText(By.id("messages"), "hello peek");
    assertThat(ui.driver().findElement(By.id("messages")).getText()).contains("(peeked: still in the queue)")
        .contains("Exchange (AMQP default)").contains("Routing Key " + Q);
    assertThat(ui.driver().findElement(By.cssSelector("#messages .redelivered")).getText()).isEqualTo("○");
    ui.screenshot("peek");
    assertThat(messages(Q)).isEqualTo(1);

    // peeking again: the same message, still not redelivered
    ui.submit("peek");
    ui.waitText(By.id("messages"), "hello peek");
    assertThat(ui.driver().findElement(By.cssSelector("#messages .redelivered")).getText()).isEqualTo("○");
    assertThat(messages(Q)).isEqualTo(1);
  }

  @Test
  @Order(4)
  void getRequeuesOrTakesTheMessageAsTheAckmodeSays() {
    ui.open("#/queues/%2F/" + Q);
    ui.select("get", "ackmode", "ack_requeue_true");
    ui.submit("get");
    ui.waitText(By.id("messages"), "hello peek");
    assertThat(messages(Q)).isEqualTo(1);

    ui.submit("get"); // the requeued message comes back redelivered
    ui.waitText(By.id("messages"), "hello peek");
    eventually("redelivered shown", () -> ui.driver().findElement(By.cssSelector("#messages .redelivered")).getText().equals("●"));

    ui.select("get", "ackmode", "ack_requeue_false");
    ui.submit("get");
    ui.waitText(By.id("messages"), "hello peek");
    eventually("the message is gone", () -> messages(Q) == 0);
    ui.submit("get");
    ui.waitText(By.id("messages"), "Queue is empty.");
  }

  @Test
  @Order(5)
  void aBindingAddedOnTheQueuePageIsListedAndUnbound() {
    ui.open("#/queues/%2F/" + Q);
    ui.waitRow("#bindings", "(Default exchange binding)");
    ui.type("add-binding", "exchange", "amq.direct");
    ui.type("add-binding", "routing_key", "orders.new");
    ui.submit("add-binding");
    ui.notice("Binding added.");
    ui.waitRow("#bindings", "orders.new");
    ui.screenshot("bindings");
    assertThat(ui.api.get("/api/queues/%2F/" + Q + "/bindings").jsonList()).anyMatch(b -> "orders.new".equals(b.get("routing_key")));

    ui.clickInRow("#bindings", "orders.new", "Unbind");
    ui.notice("Binding removed.");
    ui.waitNoRow("#bindings", "orders.new");
    assertThat(ui.api.get("/api/queues/%2F/" + Q + "/bindings").jsonList()).noneMatch(b -> "orders.new".equals(b.get("routing_key")));
  }

  @Test
  @Order(6)
  void theQueuesConsumersAreListed() throws Exception {
    ConnectionFactory f = broker.factory();
    f.setPort(ui.amqpPort);
    try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
      ch.basicQos(7);
      ch.basicConsume(Q, false, "ui-consumer", (tag, d) -> {}, tag -> {});
      ui.open("#/queues/%2F/" + Q);
      ui.waitRow("#consumers", "ui-consumer");
      assertThat(ui.rows("#consumers").getFirst()).contains("7");
    }
  }

  @Test
  @Order(8)
  void moveMessagesMovesThemToAnotherQueue() {
    assertThat(ui.api.put("/api/queues/%2F/ui.moved", Map.of("durable", true)).status()).isIn(201, 204);
    publish(Q, "first");
    publish(Q, "second");
    eventually("two messages", () -> messages(Q) == 2);
    ui.open("#/queues/%2F/" + Q);
    ui.type("move", "destination", "ui.moved");
    ui.submit("move");
    ui.notice("Moved 2 messages to ui.moved.");
    eventually("moved", () -> messages(Q) == 0 && messages("ui.moved") == 2);
  }

  @Test
  @Order(9)
  void purgeEmptiesTheQueueAfterConfirmation() {
    publish(Q, "a");
    publish(Q, "b");
    eventually("two messages", () -> messages(Q) == 2);
    ui.open("#/queues/%2F/" + Q);
    ui.submit("purge");
    ui.confirm();
    ui.notice("Queue purged.");
    eventually("purged", () -> messages(Q) == 0);
  }

  @Test
  @Order(10)
  void deleteTakesTheUserBackToTheListWithoutTheQueue() {
    ui.open("#/queues/%2F/" + Q);
    ui.submit("delete");
    ui.confirm();
    ui.notice("Queue " + Q + " deleted.");
    ui.waitText(By.tagName("h1"), "Queues");
    ui.waitNoRow("#queues-list", Q);
    assertThat(ui.api.get("/api/queues/%2F/" + Q).status()).isEqualTo(404);
  }

  @Test
  @Order(11)
  void aQueueThatDoesNotExistIsNotFound() {
    ui.open("#/queues/%2F/no-such-queue");
    ui.waitText(By.tagName("h1"), "Not found");
    assertThat(List.of(ui.bodyText())).anyMatch(t -> t.contains("The object does not exist."));
  }

  @Test
  @Order(21)
  void theListShowsTheStandardExchangesAndOneAddedInTheForm() {
    assertThat(ui.api.put("/api/queues/%2F/" + XQ, java.util.Map.of("durable", true)).status()).isIn(201, 204);
    ui.open("#/exchanges");
    ui.waitRow("#exchanges-list", "amq.topic");
    assertThat(ui.rows("#exchanges-list")).anyMatch(r -> r.contains("(AMQP default)"));
    ui.type("add-exchange", "name", X);
    ui.select("add-exchange", "type", "topic");
    ui.submit("add-exchange");
    ui.notice("Exchange " + X + " added.");
    ui.waitRow("#exchanges-list", X);
    assertThat(ui.api.get("/api/exchanges/%2F/" + X).json()).containsEntry("type", "topic").containsEntry("durable", true);
    ui.screenshot("exchanges");
  }

  @Test
  @Order(22)
  void aBindingFromTheExchangePageRoutesWhatItPublishes() {
    ui.open("#/exchanges/%2F/" + X);
    ui.waitText(By.tagName("h1"), "Exchange " + X);
    ui.type("add-binding", "destination", XQ);
    ui.type("add-binding", "routing_key", "order.*");
    ui.submit("add-binding");
    ui.notice("Binding added.");
    ui.waitRow("#bindings-source", XQ);

    ui.type("publish", "routing_key", "order.new");
    ui.type("publish", "payload", "{\"id\": 1}");
    ui.submit("publish");
    ui.notice("Message published.");
    eventually("routed to the bound queue", () -> messages(XQ) == 1);

    ui.type("publish", "routing_key", "invoice.new");
    ui.submit("publish");
    ui.notice("Message published, but not routed.");
    ui.screenshot("exchange");
    assertThat(messages(XQ)).isEqualTo(1);

    ui.clickInRow("#bindings-source", XQ, "Unbind");
    ui.waitNoRow("#bindings-source", XQ);
  }

  @Test
  @Order(23)
  void theDefaultExchangeCannotBeBoundButPublishes() {
    ui.open("#/exchanges/%2F/amq.default");
    ui.waitText(By.tagName("h1"), "(AMQP default)");
    assertThat(ui.bodyText()).contains("implicitly bound to every queue");
    assertThat(ui.driver().findElements(By.id("add-binding"))).isEmpty();
    ui.type("publish", "routing_key", XQ);
    ui.submit("publish");
    ui.notice("Message published.");
    eventually("in the queue", () -> messages(XQ) == 2);
  }

  @Test
  @Order(24)
  void deleteRemovesTheExchange() {
    ui.open("#/exchanges/%2F/" + X);
    ui.submit("delete");
    ui.confirm();
    ui.notice("Exchange " + X + " deleted.");
    ui.waitNoRow("#exchanges-list", X);
    assertThat(ui.api.get("/api/exchanges/%2F/" + X).status()).isEqualTo(404);
  }
}
