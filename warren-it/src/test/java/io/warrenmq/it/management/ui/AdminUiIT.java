package io.warrenmq.it.management.ui;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warrenmq.it.support.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The admin pages clicked through: a vhost and a user added, permissions and topic permissions
 * set and cleared, tags and password changed, policies, limits, and definitions downloaded and
 * uploaded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  static UiBrowser ui;

  @BeforeAll
  static void start() throws Exception {
    ui = UiBrowser.on(broker, "admin");
    ui.loginAsGuest();
  }

  @AfterAll
  static void stop() throws Exception {
    if (ui != null) {
      ui.close();
    }
  }

  @Test
  @Order(1)
  void aVhostAddedInTheFormIsListedAndOfferedInTheHeader() {
    ui.open("#/vhosts");
    ui.waitRow("#vhosts", "Default virtual host");
    ui.type("add-vhost", "name", "ui-shop");
    ui.type("add-vhost", "description", "the shop");
    ui.submit("add-vhost");
    ui.notice("Virtual host ui-shop added.");
    ui.waitRow("#vhosts", "the shop");
    ui.waitText(By.id("vhost-select"), "ui-shop");
    assertThat(ui.api.get("/api/vhosts/ui-shop").json()).containsEntry("description", "the shop");
    ui.screenshot("vhosts");
  }

  @Test
  @Order(2)
  void aUserAddedWithTagsCanBeGivenPermissionsAndLogIn() {
    ui.open("#/users");
    ui.type("add-user", "name", "ui-ops");
    ui.type("add-user", "password", "s3cret");
    ui.click(By.xpath("//form[@id='add-user']//button[text()='monitoring']"));
    ui.submit("add-user");
    ui.notice("User ui-ops added.");
    ui.waitRow("#users", "ui-ops");
    assertThat(ui.rows("#users").stream().filter(r -> r.contains("ui-ops")).findFirst().orElseThrow())
        .contains("monitoring").contains("No access");

    ui.click(By.linkText("ui-ops"));
    ui.waitText(By.tagName("h1"), "User ui-ops");
    ui.select("set-permission", "vhost", "ui-shop");
    ui.type("set-permission", "write", "^orders$");
    ui.submit("set-permission");
    ui.notice("Permission set.");
    ui.waitRow("#permissions", "^orders$");
    assertThat(ui.api.get("/api/permissions/ui-shop/ui-ops").json()).containsEntry("write", "^orders$").containsEntry("read", ".*");

    ui.select("set-topic-permission", "vhost", "ui-shop");
    ui.type("set-topic-permission", "write", "^eu\\.");
    ui.submit("set-topic-permission");
    ui.notice("Topic permission set.");
    ui.waitRow("#topic-permissions", "amq.topic");
    ui.screenshot("user");

    ui.clickInRow("#topic-permissions", "amq.topic", "Clear");
    ui.waitNoRow("#topic-permissions", "amq.topic");
    assertThat(ui.api.get("/api/users/ui-ops/topic-permissions").jsonList()).isEmpty();
  }

  @Test
  @Order(3)
  void changingTagsKeepsThePasswordAndChangingThePasswordKeepsTheTags() {
    ui.open("#/users/ui-ops");
    ui.type("update-tags", "tags", "monitoring, policymaker");
    ui.submit("update-tags");
    ui.notice("Tags updated.");
    assertThat(ui.api.get("/api/users/ui-ops").json().get("tags").toString()).contains("policymaker");
    assertThat(ui.apiAs("ui-ops", "s3cret").get("/api/whoami").status())
        .as("the password survives the tag change").isEqualTo(200);

    ui.type("update-password", "password", "n3w");
    ui.type("update-password", "confirm", "n3w");
    ui.submit("update-password");
    ui.notice("Password updated.");
    assertThat(ui.apiAs("ui-ops", "n3w").get("/api/whoami").json().get("tags").toString())
        .contains("policymaker");
  }

  @Test
  @Order(4)
  void aPolicyIsAddedListedAndDeleted() {
    ui.open("#/policies");
    ui.waitText(By.tagName("h1"), "Policies");
    ui.type("add-policy", "name", "ui-ttl");
    ui.type("add-policy", "pattern", "^ui\\.");
    ui.select("add-policy", "apply_to", "queues");
    ui.argument("add-policy", "message-ttl", "60000");
    ui.submit("add-policy");
    ui.notice("Policy ui-ttl set.");
    ui.waitRow("#policies", "ui-ttl");
    Map<String, Object> p = ui.api.get("/api/policies/%2F/ui-ttl").json();
    assertThat(p).containsEntry("apply-to", "queues").containsEntry("definition", Map.of("message-ttl", 60000));
    ui.screenshot("policies");
    ui.clickInRow("#policies", "ui-ttl", "Delete");
    ui.waitNoRow("#policies", "ui-ttl");

    ui.type("add-operator-policy", "name", "ui-cap");
    ui.type("add-operator-policy", "pattern", ".*");
    ui.argument("add-operator-policy", "max-length", "100");
    ui.submit("add-operator-policy");
    ui.waitRow("#operator-policies", "ui-cap");
    ui.clickInRow("#operator-policies", "ui-cap", "Delete");
    ui.waitNoRow("#operator-policies", "ui-cap");
  }

  @Test
  @Order(5)
  void limitsAreSetAndCleared() {
    ui.open("#/limits");
    ui.select("set-vhost-limit", "vhost", "ui-shop");
    ui.select("set-vhost-limit", "name", "max-queues");
    ui.type("set-vhost-limit", "value", "10");
    ui.submit("set-vhost-limit");
    ui.notice("Limit set.");
    ui.waitRow("#vhost-limits", "max-queues");
    ui.select("set-user-limit", "user", "ui-ops");
    ui.type("set-user-limit", "value", "3");
    ui.submit("set-user-limit");
    ui.waitRow("#user-limits", "ui-ops");
    ui.screenshot("limits");
    ui.clickInRow("#vhost-limits", "max-queues", "Clear");
    ui.waitNoRow("#vhost-limits", "max-queues");
  }

  @Test
  @Order(6)
  void definitionsAreDownloadedAndAFileIsUploaded() throws Exception {
    ui.api.put("/api/queues/ui-shop/ui.exported", Map.of("durable", true));
    ui.open("#/definitions");
    ui.type("download", "file", "ui-defs.json");
    ui.submit("download");
    Path file = ui.download("ui-defs.json");
    Map<?, ?> defs = new ObjectMapper().readValue(file.toFile(), Map.class);
    assertThat(defs.get("queues").toString()).contains("ui.exported");
    assertThat(defs.get("users").toString()).contains("ui-ops");

    Path upload = Files.createTempFile("warren-ui-defs-", ".json");
    Files.writeString(upload, new ObjectMapper().writeValueAsString(Map.of(
        "queues", List.of(Map.of("name", "ui.imported", "vhost", "ui-shop", "durable", true, "auto_delete", false, "arguments", Map.of())))));
    ui.driver().findElement(By.cssSelector("#upload input[type=file]")).sendKeys(upload.toString());
    ui.submit("upload");
    ui.notice("Definitions imported");
    eventually("the imported queue exists", () -> ui.api.get("/api/queues/ui-shop/ui.imported").status() == 200);
    Files.delete(upload);
  }

  @Test
  @Order(7)
  void deletingTheVhostRemovesItFromTheListAndTheHeader() {
    ui.open("#/vhosts/ui-shop");
    ui.waitText(By.tagName("h1"), "Virtual host ui-shop");
    ui.waitRow("#permissions", "ui-ops");
    ui.submit("delete");
    ui.confirm();
    ui.notice("Virtual host ui-shop deleted.");
    ui.waitNoRow("#vhosts", "ui-shop");
    ui.waitNoText(By.id("vhost-select"), "ui-shop");
  }
}
