package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ChildProcess;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A RabbitMQ 3.10.8 export (the fixture) imported into a fresh broker and exported again: the same
 * objects with the same fields, over the API, over warrenctl (against rabbitmqctl's own export
 * of the same RabbitMQ) and with Debian's rabbitmqadmin export and import.
 */
class DefinitionsRoundTripIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  private static ManagementHttp admin;
  private static Map<String, Object> fixture;

  @BeforeAll
  static void importTheFixture() {
    admin = ManagementHttp.guest(broker);
    fixture = DefinitionsFixture.parse(DefinitionsFixture.text("rabbitmq-3.10.8.json"));
    Reply r = admin.post("/api/definitions", DefinitionsFixture.text("rabbitmq-3.10.8.json"));
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  @Test
  void ourExportOfItHasTheSameObjectsAndFields() {
    Map<String, Object> ours = admin.get("/api/definitions").json();
    DefinitionsFixture.assertSameObjects(fixture, ours);
    assertThat(ours).containsEntry("rabbit_version", "3.13.7").containsEntry("rabbitmq_version", "3.13.7")
        .containsEntry("product_name", "WarrenMQ").containsKey("product_version");
    // RabbitMQ 3.13's vhost fields, beyond 3.10's name
    assertThat(List.<Object>copyOf((List<?>) ours.get("vhosts"))).contains(Map.of("name", "staging", "description", "", "tags", List.of(),
        "metadata", Map.of("description", "", "tags", List.of())));
  }

  @Test
  void importingAgainChangesNothing() {
    Map<String, Object> before = admin.get("/api/definitions").json();
    assertThat(admin.post("/api/definitions", DefinitionsFixture.text("rabbitmq-3.10.8.json")).status()).isEqualTo(204);
    DefinitionsFixture.assertSameObjects(before, admin.get("/api/definitions").json());
  }

  @Test
  void warrenctlsExportHasTheObjectsOfRabbitmqctlsExportOfTheSameBroker(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ctl.json");
    assertThat(Warrenctl.run(broker, "-q", "export_definitions", file.toString()).code()).isZero();
    Map<String, Object> reference = DefinitionsFixture.parse(DefinitionsFixture.text("rabbitmqctl-3.10.8.json"));
    Map<String, Object> ours = DefinitionsFixture.parse(Files.readString(file));
    // the HTTP fixture has no vhost descriptions (3.10), rabbitmqctl's has: compare vhosts by name and limits
    reference.put("vhosts", ((List<?>) reference.get("vhosts")).stream()
        .map(v -> Map.of("name", ((Map<?, ?>) v).get("name"), "limits", ((Map<?, ?>) v).get("limits"))).toList());
    DefinitionsFixture.assertSameObjects(reference, ours);
  }

  @Test
  void rabbitmqadminExportsAndImportsAgainstWarrenMq(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("admin.json");
    ChildProcess.Result export = rabbitmqadmin("export", file.toString());
    assertThat(export.exitCode()).as(export.output()).isZero();
    assertThat(export.output()).contains("Exported definitions for 127.0.0.1 to \"" + file + "\"");
    DefinitionsFixture.assertSameObjects(fixture, DefinitionsFixture.parse(Files.readString(file)));
    ChildProcess.Result imp = rabbitmqadmin("import", file.toString());
    assertThat(imp.exitCode()).as(imp.output()).isZero();
    assertThat(imp.output()).contains("Uploaded definitions from \"127.0.0.1\" to " + file);
    Path vhostFile = dir.resolve("orders.json");
    assertThat(rabbitmqadmin("-V", "orders", "export", vhostFile.toString()).exitCode()).isZero();
    assertThat(DefinitionsFixture.parse(Files.readString(vhostFile))).containsKeys("queues", "policies");
    admin.put("/api/vhosts/orders-admin", Map.of());
    assertThat(rabbitmqadmin("-V", "orders-admin", "import", vhostFile.toString()).exitCode()).isZero();
    assertThat(broker.server().broker().vhost("orders-admin").queue("orders.failed")).isNotNull();
  }

  private static ChildProcess.Result rabbitmqadmin(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", "/usr/bin/rabbitmqadmin", "-H", "127.0.0.1",
        "-P", Integer.toString(broker.managementPort()), "-u", "guest", "-p", "guest"));
    cmd.addAll(List.of(args));
    return ChildProcess.run(cmd, java.time.Duration.ofSeconds(60));
  }
}
