package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * RabbitMQ's definitions over {@code /api/definitions}: a RabbitMQ 3.10.8 export imports here
 * through the broker's operations (the comparison of the exports is DefinitionsRoundTripIT's); a
 * vhost's definitions; the UI's upload; RabbitMQ's errors, with what was imported before staying;
 * warrenctl's export_definitions and import_definitions.
 */
class DefinitionsIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  private static ManagementHttp admin;

  @BeforeAll
  static void importTheFixture() {
    admin = ManagementHttp.guest(broker);
    broker.server().broker().addUser("watcher", "pw", List.of("monitoring"));
    Reply r = admin.post("/api/definitions", DefinitionsFixture.text("rabbitmq-3.10.8.json"));
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  @Test
  void aRabbitMqExportImportsIntoTheBrokersOwnObjects() throws Exception {
    Broker b = broker.server().broker();
    assertThat(b.users().get("app").limits().values()).isEqualTo(Map.of("max-connections", 20L, "max-channels", 100L));
    assertThat(b.users().get("policy").tags()).containsExactly("policymaker", "management");
    assertThat(b.users().permission("app", "orders").write()).isEqualTo("^(orders\\.|amq\\.default$)");
    assertThat(b.users().topicPermissions().get("app", "orders", "orders.events").write()).isEqualTo("^{username}\\.");
    assertThat(b.vhost("orders").limits().get("max-queues")).isEqualTo(1000);
    assertThat(b.policies().list("orders", true)).extracting(p -> p.name()).containsExactly("cap");
    assertThat(b.policies().list("orders", false)).extracting(p -> p.name()).containsExactlyInAnyOrder("ae", "dlx", "ttl");
    assertThat(b.clusterName()).isEqualTo("warren-fixture");
    Queue work = b.vhost("orders").queue("orders.work");
    assertThat(work.spec().durable()).isTrue();
    assertThat(work.spec().arguments().getLong("x-max-length")).isEqualTo(5000);
    assertThat(b.vhost("orders").exchange("orders.in").alternateExchange()).isEqualTo("orders.unrouted");
    assertThat(b.vhost("orders").exchange("orders.internal").spec().internal()).isTrue();
    // the imported password hash logs app in, and the topology routes
    ConnectionFactory f = broker.factory();
    f.setUsername("app");
    f.setPassword("app-secret");
    f.setVirtualHost("orders");
    try (Connection c = f.newConnection()) {
      assertThat(c.isOpen()).isTrue();
    }
    ConnectionFactory asGuest = broker.factory();
    asGuest.setVirtualHost("orders");
    try (Connection c = asGuest.newConnection(); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      ch.basicPublish("orders.events", "orders.created", null, "x".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(5000);
    }
    // orders.events -> orders.audit (orders.#) and -> orders.in (orders.created), whose work key
    // goes nowhere: the alternate exchange takes it to orders.unrouted
    assertThat(b.vhost("orders").queue("orders.audit").messageCount()).isEqualTo(1);
    assertThat(b.vhost("orders").queue("orders.unrouted").messageCount()).isEqualTo(1);
  }

  @Test
  void theDownloadParameterAnswersAnAttachmentAndTheOldPathWorks() {
    Reply r = admin.get("/api/definitions?download=rabbit_localhost.json");
    assertThat(r.header("content-disposition")).isEqualTo("attachment; filename=rabbit_localhost.json");
    assertThat(admin.get("/api/all-configuration").json()).containsKeys("users", "vhosts", "queues");
  }

  @Test
  void aVhostsDefinitionsHaveNoVhostFieldsAndImportIntoAnotherVhost() {
    Map<String, Object> orders = admin.get("/api/definitions/orders").json();
    assertThat(orders.keySet()).containsExactly("rabbit_version", "parameters", "policies", "queues", "exchanges", "bindings");
    assertThat(List.<Object>copyOf((List<?>) orders.get("queues"))).isNotEmpty()
        .allSatisfy(q -> assertThat(((Map<?, ?>) q).containsKey("vhost")).isFalse());
    admin.put("/api/vhosts/orders-copy", Map.of());
    Reply r = admin.post("/api/definitions/orders-copy", orders);
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    Broker b = broker.server().broker();
    assertThat(b.vhost("orders-copy").queue("orders.work")).isNotNull();
    assertThat(b.vhost("orders-copy").limits().get("max-connections")).isEqualTo(500);
    assertThat(b.policies().list("orders-copy", false)).hasSize(3);
    assertThat(admin.get("/api/definitions/orders-copy").json().get("bindings"))
        .isEqualTo(orders.get("bindings"));
    assertThat(admin.get("/api/definitions/nope").json()).containsEntry("reason", "vhost_not_found");
    Reply missing = admin.post("/api/definitions/nope", Map.of());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json()).containsEntry("error", "not_found").containsEntry("reason", "vhost_not_found");
  }

  @Test
  void theUisMultipartUploadImportsTheFileField() {
    String boundary = "----warren-test";
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"defs.json\"\r\n"
        + "Content-Type: application/json\r\n\r\n"
        + "{\"vhosts\":[{\"name\":\"uploaded\"}],\"queues\":[{\"name\":\"up-q\",\"vhost\":\"uploaded\",\"durable\":true,"
        + "\"auto_delete\":false,\"arguments\":{}}]}\r\n--" + boundary + "--\r\n";
    Reply r = admin.send("POST", "/api/definitions", body, "content-type", "multipart/form-data; boundary=" + boundary);
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    assertThat(broker.server().broker().vhost("uploaded").queue("up-q")).isNotNull();
    assertThat(admin.send("POST", "/api/definitions", "{}", "content-type", "text/plain").status()).isEqualTo(415);
  }

  @Test
  void errorsAnswer400WithRabbitMqsReasonAndWhatWasImportedStays() {
    assertThat(admin.post("/api/definitions", "garbage").json()).containsEntry("reason", "failed_to_parse_json");
    String defs = "{\"users\":[{\"name\":\"early\",\"password_hash\":\"\",\"tags\":\"\"}],"
        + "\"policies\":[{\"vhost\":\"/\",\"name\":\"p\",\"pattern\":\".*\",\"definition\":{\"foo\":1}}]}";
    Reply r = admin.post("/api/definitions", defs);
    assertThat(r.status()).isEqualTo(400);
    // rabbit_definitions:format prints the policy's error binary with ~tp
    assertThat(r.json()).containsEntry("reason", "<<\"Validation failed\\n\\n[{&lt;&lt;\\\"foo\\\"&gt;&gt;,1}] are not "
        + "recognised policy settings\\n (//p)\">>");
    assertThat(broker.server().broker().users().get("early")).isNotNull();
    Map<String, String> cases = Map.of(
        "{\"permissions\":[{\"vhost\":\"nope\",\"user\":\"guest\",\"configure\":\"\",\"write\":\"\",\"read\":\"\"}]}",
        "Please create virtual host \"nope\" prior to importing definitions.",
        "{\"permissions\":[{\"vhost\":\"/\",\"user\":\"nobody\",\"configure\":\"\",\"write\":\"\",\"read\":\"\"}]}",
        "{no_such_user,<<\"nobody\">>}",
        "{\"users\":[{\"name\":\"x\"}]}", "tags_not_present",
        "{\"queues\":[{\"name\":\"q\",\"durable\":true}]}", "invalid_definitions_file",
        "{\"parameters\":[{\"vhost\":\"/\",\"component\":\"federation-upstream\",\"name\":\"u\",\"value\":{}}]}",
        "<<\"Validation failed\\n\\ncomponent federation-upstream not found\\n (//federation-upstream/u)\">>");
    cases.forEach((sent, reason) -> assertThat(admin.post("/api/definitions", sent).json()).as(sent)
        .containsEntry("reason", reason));
  }

  @Test
  void theQueueLimitIsCheckedBeforeAnythingIsImported() {
    admin.put("/api/vhosts/small", Map.of());
    admin.put("/api/vhost-limits/small/max-queues", Map.of("value", 1));
    String defs = "{\"queues\":[{\"name\":\"a\",\"vhost\":\"small\",\"durable\":true},"
        + "{\"name\":\"b\",\"vhost\":\"small\",\"durable\":true}]}";
    assertThat(admin.post("/api/definitions", defs).json()).containsEntry("reason", "Adding 2 queue(s) to virtual host "
        + "\"small\" would exceed the limit of 1 queue(s).\n\nThis virtual host currently has 0 queue(s) defined.\n\n"
        + "Import aborted!");
    assertThat(broker.server().broker().vhost("small").queues()).isEmpty();
  }

  @Test
  void definitionsAreForAdministratorsOnly() {
    ManagementHttp watcher = ManagementHttp.as(broker, "watcher", "pw");
    assertThat(watcher.get("/api/definitions").json()).containsEntry("reason", "Not administrator user");
    assertThat(watcher.post("/api/definitions", "{}").status()).isEqualTo(401);
  }

  @Test
  void warrenctlExportsInRabbitmqctlsShapeAndImportsAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("defs.json");
    Warrenctl.Run export = Warrenctl.run(broker, "export_definitions", file.toString());
    assertThat(export.code()).as(export.err()).isZero();
    assertThat(export.out()).isEqualTo("Exporting definitions in JSON to a file at \"" + file + "\" ...\n");
    Map<String, Object> ctl = DefinitionsFixture.parse(Files.readString(file));
    assertThat(ctl.keySet()).containsExactly("bindings", "exchanges", "global_parameters", "parameters", "permissions",
        "policies", "queues", "rabbit_version", "rabbitmq_version", "topic_permissions", "users", "vhosts");
    Warrenctl.Run stdout = Warrenctl.run(broker, "export_definitions", "-");
    assertThat(DefinitionsFixture.parse(stdout.out())).containsKey("users");
    assertThat(Warrenctl.run(broker, "export_definitions", dir.resolve("no/such/x.json").toString()).err())
        .contains("Bad argument: Directory " + dir.resolve("no/such") + " does not exist");

    Files.writeString(file, "{\"vhosts\":[{\"name\":\"from-ctl\"}]}");
    Warrenctl.Run imp = Warrenctl.run(broker, "import_definitions", file.toString());
    assertThat(imp.code()).as(imp.err()).isZero();
    assertThat(imp.out()).isEqualTo("Importing definitions in JSON from a file at \"" + file + "\" ...\n"
        + "Successfully started definition import. This process is asynchronous and can take some time. "
        + "Watch target node logs for completion.\n");
    assertThat(broker.server().broker().vhost("from-ctl")).isNotNull();
    Files.writeString(file, "");
    assertThat(Warrenctl.run(broker, "import_definitions", file.toString()).err()).contains("is zero-sized");
    Files.writeString(file, "{\"users\":[{\"name\":\"y\"}]}");
    Warrenctl.Run failed = Warrenctl.run(broker, "-q", "import_definitions", file.toString());
    assertThat(failed.code()).isEqualTo(69);
    assertThat(failed.err()).isEqualTo("Error:\ntags_not_present\n");
  }

  @Test
  void rabbitmqctlsOwnExportImportsTooOperatorPolicyPairsIncluded() {
    Warrenctl.Run r = Warrenctl.run(broker, "import_definitions", DefinitionsFixture.path("rabbitmqctl-3.10.8.json").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(broker.server().broker().policies().list("orders", true)).singleElement()
        .satisfies(p -> assertThat(p.definition().getLong("max-length")).isEqualTo(100000));
  }
}
