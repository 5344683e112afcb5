package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import io.warrenmq.it.support.RabbitMqNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our definitions import into a real RabbitMQ (Debian's 3.10.8 with its management plugin, a
 * private node started once for the class and stopped by its pid; skipped where it is not
 * installed), and RabbitMQ's export of them has the same objects and fields as ours.
 */
class RabbitMqInteropIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  private static RabbitMqNode rabbit;

  @BeforeAll
  static void startRabbitMq() throws Exception {
    assumeTrue(RabbitMqNode.installed(), "Debian's rabbitmq-server is not installed");
    rabbit = RabbitMqNode.start();
  }

  @AfterAll
  static void stopRabbitMq() throws Exception {
    if (rabbit != null) {
      rabbit.close();
    }
  }

  @Test
  void ourExportOfARabbitMqTopologyImportsIntoRabbitMqAndComesBackTheSame() throws Exception {
    ManagementHttp warren = ManagementHttp.guest(broker);
    assertThat(warren.post("/api/definitions", DefinitionsFixture.text("rabbitmq-3.10.8.json")).status()).isEqualTo(204);
    // what WarrenMQ adds beyond the fixture goes too: a vhost description, a vhost-limit, a sha512 user
    warren.put("/api/vhosts/described", Map.of("description", "from WarrenMQ", "tags", "w"));
    warren.put("/api/users/hashed", Map.of("password_hash", UsersApiIT.hash("SHA-512", "pw"),
        "hashing_algorithm", "rabbit_password_hashing_sha512", "tags", ""));
    warren.put("/api/vhost-limits/described/max-queues", Map.of("value", 3));
    Map<String, Object> ours = warren.get("/api/definitions").json();
    ManagementHttp rmq = rabbit.http();
    Reply imported = rmq.post("/api/definitions", ours);
    assertThat(imported.status()).as(imported.body()).isEqualTo(204);
    Map<String, Object> theirs = rmq.get("/api/definitions").json();
    DefinitionsFixture.assertSameObjects(theirs, ours);
  }
}
