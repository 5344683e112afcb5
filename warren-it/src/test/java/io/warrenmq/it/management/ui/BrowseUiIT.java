package io.warrenmq.it.management.ui;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.it.support.BrokerExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The pages a user watches: the overview (totals, nodes, listeners, charts), the connections
 * and channels lists, a connection's page with its channels, and closing it from there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowseUiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  static UiBrowser ui;
  static Connection client;
  static final CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();

  @BeforeAll
  static void start() throws Exception {
    ui = UiBrowser.on(broker, "browse");
    ConnectionFactory f = broker.factory();
    f.setPort(ui.amqpPort);
    client = f.newConnection("ui-client");
    client.addShutdownListener(closed::complete);
    Channel ch = client.createChannel();
    ch.queueDeclare("ui.browse", false, false, false, null);
    ch.basicQos(5);
    ch.basicConsume("ui.browse", false, "watcher", (t, d) -> {}, t -> {});
    client.createChannel().confirmSelect();
    ui.loginAsGuest();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null && client.isOpen()) {
      client.abort();
    }
    if (ui != null) {
      ui.close();
    }
  }

  @Test
  @Order(1)
  void theOverviewShowsTotalsNodesAndListeners() {
    ui.open("#/");
    ui.waitText(By.id("global-counts"), "Connections: 1");
    String counts = ui.driver().findElement(By.id("global-counts")).getText();
    assertThat(counts).contains("Channels: 2").contains("Queues: 1").contains("Consumers: 1");
    ui.waitText(By.id("listeners"), "amqp");
    assertThat(ui.driver().findElement(By.id("listeners")).getText()).contains(Integer.toString(ui.amqpPort));
    ui.waitText(By.id("nodes"), "running");
    assertThat(ui.driver().findElement(By.id("totals")).getText()).contains("Queued messages").contains("Ready");
    ui.screenshot("overview");
    ui.click(By.cssSelector("#nodes tbody a"));
    ui.waitText(By.tagName("h1"), "Node");
    ui.waitText(By.id("overview"), "Uptime");
  }

  @Test
  @Order(2)
  void theConnectionsListShowsTheClientByItsName() {
    ui.open("#/connections");
    ui.waitRow("#connections-list", "ui-client");
    assertThat(ui.rows("#connections-list").getFirst()).contains("guest").contains("running").contains("AMQP 0-9-1").contains("2");
    ui.screenshot("connections");
  }

  @Test
  @Order(3)
  void theChannelsListShowsPrefetchAndConfirmMode() {
    ui.open("#/channels");
    ui.waitRow("#channels-list", "(2)");
    assertThat(ui.rows("#channels-list")).hasSize(2);
    assertThat(ui.rows("#channels-list")).anyMatch(r -> r.contains("(1)") && r.contains("5"));
    assertThat(ui.rows("#channels-list")).anyMatch(r -> r.contains("(2)") && r.contains("C"));
  }

  @Test
  @Order(4)
  void aConnectionsPageListsItsChannelsAndClosesItWithTheReasonGiven() throws Exception {
    ui.open("#/connections");
    ui.waitRow("#connections-list", "ui-client");
    ui.click(By.cssSelector("#connections-list tbody tr td a"));
    ui.waitText(By.tagName("h1"), "Connection");
    ui.waitRow("#channels", "(1)");
    assertThat(ui.driver().findElement(By.id("client-properties")).getText()).contains("connection_name").contains("ui-client");
    ui.screenshot("connection");

    ui.type("close-connection", "reason", "closed from the UI test");
    ui.submit("close-connection");
    ui.confirm();
    ShutdownSignalException s = closed.get(10, TimeUnit.SECONDS);
    assertThat(s.getReason().toString()).contains("320").contains("closed from the UI test");
    ui.waitText(By.tagName("h1"), "Connections");
    ui.waitNoRow("#connections-list", "ui-client");
    eventually("no connection left", () -> ui.api.get("/api/connections").jsonList().isEmpty());
  }
}
