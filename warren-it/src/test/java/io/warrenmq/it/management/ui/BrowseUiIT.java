package io.warrenmq.it.management.ui;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.it.support.BrokerExtension;
import java.time.Duration;
import java.util.Map;
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
 * Logging in as RabbitMQ's UI does it (basic credentials checked against /api/whoami, kept for
 * the tab, RabbitMQ's 401 answers shown as the user's message), then the pages a user watches:
 * the overview (totals, nodes, listeners), a node, the connections and channels lists, a
 * connection's page with its channels, and closing it from there; the overview's and a queue's
 * charts drawn from the API's samples.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowseUiIT {
  // a short sample interval, for the charts' samples
  @RegisterExtension
  static final BrokerExtension broker = BrokerExtension.withManagement(Map.of("collect_statistics_interval", "500"));
  static UiBrowser ui;
  static Connection client;
  static final CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();

  @BeforeAll
  static void start() throws Exception {
    ui = UiBrowser.on(broker, "browse");
    ui.addUser(broker, "plain", "pw");
    ui.addUser(broker, "watcher", "pw", "monitoring");
    ConnectionFactory f = broker.factory();
    f.setPort(ui.amqpPort);
    client = f.newConnection("ui-client");
    client.addShutdownListener(closed::complete);
    Channel ch = client.createChannel();
    ch.queueDeclare("ui.browse", false, false, false, null);
    ch.basicQos(5);
    ch.basicConsume("ui.browse", false, "watcher", (t, d) -> {}, t -> {});
    for (int i = 0; i < 8; i++) {
      ch.basicPublish("", "ui.browse", null, new byte[] {1}); // 5 delivered (prefetch), never acked; 3 ready
    }
    client.createChannel().confirmSelect();
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
  void theRootShowsTheLoginForm() {
    ui.open("");
    ui.visible(By.id("login-form"));
    assertThat(ui.bodyText()).contains("WarrenMQ").contains("Username").contains("Password");
    ui.screenshot("form");
  }

  @Test
  @Order(2)
  void aWrongPasswordSaysTheLoginFailed() {
    ui.login("guest", "wrong");
    ui.waitText(By.id("login-status"), "Login failed: wrong username or password.");
    ui.screenshot("wrong-password");
  }

  @Test
  @Order(3)
  void aUserWithoutTagsIsToldItIsNotAManagementUser() {
    ui.login("plain", "pw");
    ui.waitText(By.id("login-status"), "Login failed: Not management user");
    assertThat(ui.driver().findElements(By.id("logout"))).isEmpty();
    ui.screenshot("not-management-user");
  }

  @Test
  @Order(4)
  void guestLogsInAndSeesTheOverviewWithItsTags() {
    ui.loginAsGuest();
    ui.waitText(By.id("user"), "guest (administrator)");
    ui.waitText(By.tagName("h1"), "Overview");
    assertThat(ui.bodyText()).contains("Connections").contains("Queues").contains("Admin");
    Object stored = ui.script("return sessionStorage.getItem('warren.auth')");
    assertThat(stored).isEqualTo("Basic Z3Vlc3Q6Z3Vlc3Q=");
  }

  @Test
  @Order(5)
  void theSessionSurvivesAReloadAndEndsWithLogout() {
    ui.open("#/queues");
    ui.waitText(By.tagName("h1"), "Queues");
    ui.driver().navigate().refresh();
    ui.waitText(By.tagName("h1"), "Queues");
    assertThat(ui.driver().findElements(By.id("login-form"))).isEmpty();
    ui.click(By.id("logout"));
    ui.visible(By.id("login-form"));
    assertThat(ui.script("return sessionStorage.getItem('warren.auth')")).isNull();
    ui.open("#/queues");
    ui.visible(By.id("login-form"));
  }

  @Test
  @Order(20)
  void aMonitoringUserHasNoAdminTab() {
    ui.login("watcher", "pw");
    ui.waitText(By.id("user"), "watcher (monitoring)");
    assertThat(ui.driver().findElement(By.cssSelector("nav.tabs")).getText()).contains("Queues").doesNotContain("Admin");
    ui.click(By.id("logout"));
  }

  @Test
  @Order(11)
  void theOverviewShowsTotalsNodesAndListeners() {
    ui.loginAsGuest();
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

  /** The legend rows of the chart titled {@code title} inside {@code #panel}, as text. */
  private static String legend(String panel, String title) {
    return (String) ui.script("for (const c of document.querySelectorAll('#' + arguments[0] + ' .chart')) {"
        + " if (c.querySelector('h3').textContent === arguments[1])"
        + " return c.querySelector('.chart-legend').innerText; }"
        + " return '';", panel, title);
  }

  /** Whether the chart titled {@code title} inside {@code #panel} drew a plot (uPlot's canvas). */
  private static boolean plotted(String panel, String title) {
    return Boolean.TRUE.equals(ui.script("for (const c of document.querySelectorAll('#' + arguments[0] + ' .chart')) {"
        + " if (c.querySelector('h3').textContent === arguments[1]) return !!c.querySelector('.chart-plot:not(.empty)"
        + " canvas'); } return false;", panel, title));
  }

  @Test
  @Order(12)
  void theOverviewAndQueueChartsDrawTheSamplesOfTheLastMinute() {
    ui.open("#/");
    ui.waitText(By.tagName("h1"), "Overview");
    new org.openqa.selenium.support.ui.Select(ui.driver().findElement(By.id("range-select"))).selectByValue("60");
    // the page refreshes every 5 s; samples 5 s apart make a line (of rates: three samples)
    eventually(Duration.ofSeconds(40), "the overview's charts plotted", () -> {
      String rates = legend("totals", "Message rates");
      String queued = legend("totals", "Queued messages");
      return rates.contains("Publish") && rates.contains("/s") && queued.contains("Ready\t3")
          && queued.contains("Unacked\t5") && plotted("totals", "Queued messages")
          && plotted("totals", "Message rates");
    });
    ui.screenshot("overview-charts");
    ui.open("#/queues/%2F/ui.browse");
    ui.waitText(By.tagName("h1"), "ui.browse");
    eventually(Duration.ofSeconds(40), "the queue's charts plotted", () -> {
      String queued = legend("overview", "Queued messages");
      return queued.contains("Total\t8") && legend("overview", "Message rates").contains("Deliver (manual ack)")
          && plotted("overview", "Queued messages") && plotted("overview", "Message rates");
    });
    ui.screenshot("queue-charts");
  }

  @Test
  @Order(13)
  void theConnectionsListShowsTheClientByItsName() {
    ui.open("#/connections");
    ui.waitRow("#connections-list", "ui-client");
    assertThat(ui.rows("#connections-list").getFirst()).contains("guest").contains("running").contains("AMQP 0-9-1").contains("2");
    ui.screenshot("connections");
  }

  @Test
  @Order(14)
  void theChannelsListShowsPrefetchAndConfirmMode() {
    ui.open("#/channels");
    ui.waitRow("#channels-list", "(2)");
    assertThat(ui.rows("#channels-list")).hasSize(2);
    assertThat(ui.rows("#channels-list")).anyMatch(r -> r.contains("(1)") && r.contains("5"));
    assertThat(ui.rows("#channels-list")).anyMatch(r -> r.contains("(2)") && r.contains("C"));
  }

  @Test
  @Order(15)
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
