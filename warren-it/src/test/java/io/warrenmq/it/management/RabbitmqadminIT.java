package io.warrenmq.it.management;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ChildProcess;
import io.warrenmq.it.support.ManagementHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Debian's rabbitmqadmin (RabbitMQ 3.10.8's, package rabbitmq-server; .ci/run installs it) as a
 * real client of the management API: it lists, declares, publishes, gets, purges, deletes and
 * closes connections as against RabbitMQ, and its output says so.
 */
class RabbitmqadminIT {
  private static final String ADMIN = "/usr/bin/rabbitmqadmin";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();

  private static String admin(String... args) throws Exception {
    assumeTrue(Files.isExecutable(Path.of(ADMIN)), "rabbitmqadmin is not installed (.ci/run installs it)");
    List<String> cmd = new ArrayList<>(List.of(ADMIN, "-H", "127.0.0.1", "-P", Integer.toString(broker.managementPort()),
        "-u", "guest", "-p", "guest"));
    cmd.addAll(List.of(args));
    ChildProcess.Result r = ChildProcess.run(cmd, Duration.ofSeconds(60));
    assertThat(r.exitCode()).as("%s\n%s", String.join(" ", args), r.output()).isZero();
    return r.output();
  }

  private static List<Map<String, Object>> json(String... args) throws Exception {
    List<String> a = new ArrayList<>(List.of("-f", "raw_json"));
    a.addAll(List.of(args));
    return JSON.readValue(admin(a.toArray(String[]::new)), new TypeReference<>() {});
  }

  @Test
  void declaresListsPublishesGetsPurgesAndDeletes() throws Exception {
    assertThat(admin("declare", "queue", "name=adm.q", "durable=true")).contains("queue declared");
    assertThat(admin("declare", "exchange", "name=adm.x", "type=topic")).contains("exchange declared");
    assertThat(admin("declare", "binding", "source=adm.x", "destination=adm.q", "routing_key=k.#"))
        .contains("binding declared");
    assertThat(admin("publish", "routing_key=adm.q", "payload=hello admin")).contains("Message published");
    assertThat(admin("publish", "exchange=adm.x", "routing_key=k.1", "payload=two",
        "properties={\"delivery_mode\":2,\"headers\":{\"a\":1}}")).contains("Message published");

    assertThat(admin("list", "queues")).containsPattern("\\| adm\\.q +\\| 2 +\\|");
    assertThat(admin("list", "exchanges")).containsPattern("\\| adm\\.x +\\| topic +\\|");
    assertThat(json("list", "bindings")).extracting(b -> b.get("source") + ">" + b.get("destination") + ":"
        + b.get("routing_key")).contains(">adm.q:adm.q", "adm.x>adm.q:k.#");

    String got = admin("get", "queue=adm.q", "ackmode=ack_requeue_true", "count=5");
    assertThat(got).contains("hello admin").contains("| k.1 ").contains("two");
    List<Map<String, Object>> taken = json("get", "queue=adm.q", "ackmode=ack_requeue_false", "count=1");
    assertThat(taken).singleElement().satisfies(m -> assertThat(m).containsEntry("payload", "hello admin")
        .containsEntry("redelivered", true).containsEntry("message_count", 1));

    assertThat(admin("purge", "queue", "name=adm.q")).contains("queue purged");
    assertThat(json("list", "queues", "name", "messages")).contains(Map.of("name", "adm.q", "messages", 0));
    assertThat(admin("delete", "binding", "source=adm.x", "destination=adm.q", "destination_type=queue",
        "properties_key=k.%23")).contains("binding deleted");
    assertThat(admin("delete", "exchange", "name=adm.x")).contains("exchange deleted");
    assertThat(admin("delete", "queue", "name=adm.q")).contains("queue deleted");
    assertThat(json("list", "queues")).noneSatisfy(q -> assertThat(q).containsEntry("name", "adm.q"));
  }

  @Test
  void listsConnectionsChannelsAndConsumersAndClosesAConnection() throws Exception {
    Connection c = broker.factory().newConnection("admin-listed");
    Channel ch = c.createChannel();
    String q = ch.queueDeclare().getQueue();
    ch.basicConsume(q, true, "adm-tag", new DefaultConsumer(ch));
    List<Map<String, Object>> conns = json("list", "connections");
    assertThat(conns).singleElement().satisfies(m -> assertThat(m).containsEntry("user", "guest")
        .containsEntry("channels", 1).containsEntry("state", "running"));
    String name = (String) conns.getFirst().get("name");
    assertThat(admin("list", "connections")).containsPattern("\\| " + name + " +\\| guest +\\| 1 +\\|");
    assertThat(admin("list", "channels")).contains(name + " (1)");
    assertThat(admin("list", "consumers")).contains("adm-tag");
    assertThat(admin("list", "nodes")).contains(broker.server().broker().pids().node());
    assertThat(admin("show", "overview")).contains("3.13.7");
    assertThat(admin("close", "connection", "name=" + name)).contains("connection closed");
    eventually("the connection closed", () -> !c.isOpen());
  }

  @Test
  void listsVhostsAndUsersOnceTheirEndpointsAreServed() throws Exception {
    // served by the definitions side of the API (another part of issue 9)
    assumeTrue(ManagementHttp.guest(broker).get("/api/vhosts").status() == 200, "/api/vhosts is not served yet");
    assertThat(admin("list", "vhosts")).contains("| /    |");
    assertThat(admin("list", "users")).contains("guest");
  }
}
