package io.warrenmq.it.management.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.it.support.BrokerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Logging in to the UI as RabbitMQ's UI does it: basic credentials checked against /api/whoami,
 * kept for the tab, and RabbitMQ's 401 answers shown as the user's message.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoginUiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  static UiBrowser ui;

  @BeforeAll
  static void start() throws Exception {
    ui = UiBrowser.on(broker, "login");
    ui.addUser(broker, "plain", "pw");
    ui.addUser(broker, "watcher", "pw", "monitoring");
  }

  @AfterAll
  static void stop() throws Exception {
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
  @Order(6)
  void aMonitoringUserHasNoAdminTab() {
    ui.login("watcher", "pw");
    ui.waitText(By.id("user"), "watcher (monitoring)");
    assertThat(ui.driver().findElement(By.cssSelector("nav.tabs")).getText()).contains("Queues").doesNotContain("Admin");
    ui.click(By.id("logout"));
  }
}
