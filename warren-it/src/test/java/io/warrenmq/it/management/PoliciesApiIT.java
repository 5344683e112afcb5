package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/policies} and {@code /api/operator-policies} as RabbitMQ 3.13.7 answers them: the
 * policy fields, rabbit_policy's validation texts (HTML-escaped for policies, as
 * rabbit_mgmt_wm_policy does), policymakers with a permission on the vhost for policies and
 * administrators for operator policies, and the policy applied to queues at once.
 */
class PoliciesApiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  private static ManagementHttp admin;

  @BeforeAll
  static void setUp() {
    var b = broker.server().broker();
    b.addUser("maker", "pw", List.of("policymaker"));
    b.addUser("maker-elsewhere", "pw", List.of("policymaker"));
    b.addUser("viewer", "pw", List.of("management"));
    b.setPermission("maker", "/", io.warrenmq.broker.auth.Permission.ALL);
    b.setPermission("viewer", "/", io.warrenmq.broker.auth.Permission.ALL);
    admin = ManagementHttp.guest(broker);
  }

  @Test
  void aPolicyIsPutListedAppliedAndDeleted() throws Exception {
    Map<String, Object> body = Map.of("pattern", "^pol-q$", "definition", Map.of("max-length", 1), "priority", 3,
        "apply-to", "queues");
    assertThat(admin.put("/api/policies/%2F/cap", body).status()).isEqualTo(201);
    assertThat(admin.put("/api/policies/%2F/cap", body).status()).isEqualTo(204);
    Map<String, Object> expected = Map.of("vhost", "/", "name", "cap", "pattern", "^pol-q$", "apply-to", "queues",
        "definition", Map.of("max-length", 1), "priority", 3);
    assertThat(admin.get("/api/policies/%2F/cap").json()).isEqualTo(expected);
    assertThat(admin.get("/api/policies").jsonList()).contains(expected);
    assertThat(admin.get("/api/policies/%2F").jsonList()).contains(expected);
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("pol-q", false, false, true, null);
      ch.basicPublish("", "pol-q", null, new byte[1]);
      ch.basicPublish("", "pol-q", null, new byte[1]);
      ch.confirmSelect();
      ch.basicPublish("", "pol-q", null, new byte[1]);
      ch.waitForConfirmsOrDie(5000);
      assertThat(ch.messageCount("pol-q")).isEqualTo(1);
    }
    assertThat(admin.delete("/api/policies/%2F/cap").status()).isEqualTo(204);
    assertThat(admin.get("/api/policies/%2F/cap").status()).isEqualTo(404);
    assertThat(admin.delete("/api/policies/%2F/cap").status()).isEqualTo(404);
  }

  @Test
  void invalidPoliciesAreRefusedWithRabbitMqsTexts() {
    Map<Object, String> cases = Map.of(
        Map.of("pattern", ".*", "definition", Map.of("foo", 1)),
        "Validation failed\n\n[{&lt;&lt;\"foo\"&gt;&gt;,1}] are not recognised policy settings\n",
        Map.of("pattern", ".*", "definition", Map.of("message-ttl", -1)),
        "Validation failed\n\n-1 is not a valid message TTL\n",
        Map.of("pattern", ".*", "definition", Map.of("overflow", "sideways")),
        "Validation failed\n\n&lt;&lt;\"sideways\"&gt;&gt; is not a valid overflow value\n",
        Map.of("pattern", ".*", "definition", Map.of()), "Validation failed\n\nno policy provided\n",
        Map.of("pattern", ".*", "definition", Map.of("max-length", 1), "apply-to", "nothing"),
        "Validation failed\n\napply-to 'nothing' unrecognised; should be one of: 'queues', 'classic_queues',  "
            + "'quorum_queues', 'streams', 'exchanges', or 'all'\n",
        Map.of("pattern", ".*", "definition", Map.of("max-length", 1), "priority", "high"),
        "Validation failed\n\npriority should be a number, actually was &lt;&lt;\"high\"&gt;&gt;\n",
        Map.of("pattern", ".*"), "[{key_missing,definition}]");
    cases.forEach((body, reason) -> {
      Reply r = admin.put("/api/policies/%2F/bad", body);
      assertThat(r.status()).as("%s", body).isEqualTo(400);
      assertThat(r.json()).as("%s", body).containsEntry("error", "bad_request").containsEntry("reason", reason);
    });
    assertThat(admin.get("/api/policies/%2F/bad").status()).isEqualTo(404);
    Reply noVhost = admin.put("/api/policies/nope/p", Map.of("pattern", ".*", "definition", Map.of("max-length", 1)));
    assertThat(noVhost.status()).isEqualTo(404);
    assertThat(noVhost.json()).containsEntry("error", "not_found").containsEntry("reason", "vhost_not_found");
  }

  @Test
  void operatorPoliciesTakeTheOperatorKeysOnlyAndAreNotEscaped() {
    Reply bad = admin.put("/api/operator-policies/%2F/op-bad",
        Map.of("pattern", ".*", "definition", Map.of("dead-letter-exchange", "x")));
    assertThat(bad.json()).containsEntry("reason",
        "Validation failed\n\n[{<<\"dead-letter-exchange\">>,<<\"x\">>}] are not recognised policy settings\n");
    assertThat(admin.put("/api/operator-policies/%2F/op", Map.of("pattern", ".*", "definition",
        Map.of("max-length", 100))).status()).isEqualTo(201);
    assertThat(admin.get("/api/operator-policies/%2F/op").json()).containsEntry("apply-to", "all")
        .containsEntry("priority", 0).containsEntry("definition", Map.of("max-length", 100));
    assertThat(admin.get("/api/operator-policies").jsonList()).extracting(p -> p.get("name")).contains("op");
    assertThat(admin.get("/api/policies").jsonList()).extracting(p -> p.get("name")).doesNotContain("op");
    assertThat(admin.delete("/api/operator-policies/%2F/op").status()).isEqualTo(204);
  }

  @Test
  void policymakersWithAPermissionMayChangePoliciesOthersMayNot() {
    Map<String, Object> body = Map.of("pattern", "^mk", "definition", Map.of("max-length", 5));
    assertThat(ManagementHttp.as(broker, "maker", "pw").put("/api/policies/%2F/by-maker", body).status()).isEqualTo(201);
    Reply elsewhere = ManagementHttp.as(broker, "maker-elsewhere", "pw").put("/api/policies/%2F/x", body);
    assertThat(elsewhere.status()).isEqualTo(401);
    assertThat(elsewhere.json()).containsEntry("reason", "User not authorised to access object");
    Reply viewer = ManagementHttp.as(broker, "viewer", "pw").get("/api/policies/%2F/by-maker");
    assertThat(viewer.json()).containsEntry("error", "not_authorised");
    // the lists are filtered to the vhosts the user may log in to
    assertThat(ManagementHttp.as(broker, "viewer", "pw").get("/api/policies").jsonList()).extracting(p -> p.get("name"))
        .contains("by-maker");
    assertThat(ManagementHttp.as(broker, "maker-elsewhere", "pw").get("/api/policies").jsonList()).isEmpty();
    // operator policies are an administrator's
    assertThat(ManagementHttp.as(broker, "maker", "pw").put("/api/operator-policies/%2F/x", body).json())
        .containsEntry("reason", "Not administrator user");
  }
}
