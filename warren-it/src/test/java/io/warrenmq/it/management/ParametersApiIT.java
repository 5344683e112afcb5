package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runtime and global parameters as a RabbitMQ 3.13.7 without the federation and shovel plugins
 * answers them (rabbit_mgmt_wm_parameter(s), _global_parameter(s), rabbit_runtime_parameters):
 * the {@code vhost-limits} and {@code operator_policy} components, "component ... not found" for
 * any other, {@code policy} not settable, global parameters stored as given, the cluster name.
 */
class ParametersApiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  private static ManagementHttp admin;

  @BeforeAll
  static void setUp() {
    broker.server().broker().addUser("viewer", "pw", List.of("management"));
    broker.server().broker().addUser("maker", "pw", List.of("policymaker"));
    broker.server().broker().addVhost("pp");
    admin = ManagementHttp.guest(broker);
  }

  @Test
  void vhostLimitsAreARuntimeParameterThatTakesEffect() {
    assertThat(admin.put("/api/parameters/vhost-limits/pp/limits", Map.of("value", Map.of("max-queues", 7))).status())
        .isEqualTo(201);
    Map<String, Object> expected = Map.of("value", Map.of("max-queues", 7), "vhost", "pp", "component", "vhost-limits",
        "name", "limits");
    assertThat(admin.get("/api/parameters/vhost-limits/pp/limits").json()).isEqualTo(expected);
    assertThat(admin.get("/api/parameters").jsonList()).contains(expected);
    assertThat(admin.get("/api/parameters/vhost-limits").jsonList()).contains(expected);
    assertThat(admin.get("/api/parameters/vhost-limits/pp").jsonList()).containsExactly(expected);
    assertThat(admin.get("/api/vhost-limits/pp").jsonList()).containsExactly(Map.of("vhost", "pp",
        "value", Map.of("max-queues", 7)));
    assertThat(broker.server().broker().vhost("pp").limits().get("max-queues")).isEqualTo(7);
    assertThat(admin.put("/api/parameters/vhost-limits/pp/limits", Map.of("value", Map.of("max-queues", 8))).status())
        .isEqualTo(204);
    assertThat(admin.delete("/api/parameters/vhost-limits/pp/limits").status()).isEqualTo(204);
    assertThat(broker.server().broker().vhost("pp").limits().get("max-queues")).isEqualTo(-1);
    assertThat(admin.get("/api/parameters/vhost-limits/pp/limits").status()).isEqualTo(404);
    assertThat(admin.delete("/api/parameters/vhost-limits/pp/limits").status()).isEqualTo(404);
  }

  @Test
  void rabbitMqsValidationTextsForUnknownComponentsAndBadValues() {
    Map<String, Object[]> cases = Map.of(
        "/api/parameters/federation-upstream/pp/up", new Object[] {Map.of("value", Map.of("uri", "amqp://")),
            "Validation failed\n\ncomponent federation-upstream not found\n"},
        "/api/parameters/vhost-limits/pp/limits", new Object[] {Map.of("value", Map.of("max-connections", "x")),
            "Validation failed\n\nmax-connections should be a number, actually was &lt;&lt;\"x\"&gt;&gt;\n"},
        "/api/parameters/vhost-limits/pp/other", new Object[] {Map.of("value", Map.of("max-foo", 1)),
            "Validation failed\n\nUnrecognised terms [{&lt;&lt;\"max-foo\"&gt;&gt;,1}] in other\n"},
        "/api/parameters/policy/pp/p", new Object[] {Map.of("value", Map.of()), "policies may not be set using this method"},
        "/api/parameters/vhost-limits/pp/x", new Object[] {Map.of(), "[{key_missing,value}]"});
    cases.forEach((path, c) -> {
      Reply r = admin.put(path, c[0]);
      assertThat(r.status()).as(path).isEqualTo(400);
      assertThat(r.json()).as(path).containsEntry("reason", c[1]);
    });
    Reply noVhost = admin.put("/api/parameters/vhost-limits/nope/limits", Map.of("value", Map.of()));
    assertThat(noVhost.status()).isEqualTo(404);
    assertThat(noVhost.json()).containsEntry("reason", "vhost_not_found");
  }

  @Test
  void operatorPoliciesAreTheOperatorPolicyComponentAndPoliciesTheListOfPolicy() {
    Map<String, Object> value = Map.of("pattern", "^op", "definition", Map.of("max-length", 9), "priority", 1,
        "apply-to", "queues");
    assertThat(admin.put("/api/parameters/operator_policy/pp/op1", Map.of("value", value)).status()).isEqualTo(201);
    assertThat(admin.get("/api/operator-policies/pp/op1").json()).containsEntry("pattern", "^op").containsEntry("priority", 1);
    assertThat(admin.get("/api/parameters/operator_policy").jsonList()).containsExactly(Map.of("value", value,
        "vhost", "pp", "component", "operator_policy", "name", "op1"));
    admin.put("/api/policies/pp/pol", Map.of("pattern", "x", "definition", Map.of("max-length", 1)));
    assertThat(admin.get("/api/parameters").jsonList()).extracting(p -> p.get("component")).doesNotContain("policy");
    assertThat(admin.get("/api/parameters/policy").jsonList()).extracting(p -> p.get("name")).containsExactly("pol");
    assertThat(admin.delete("/api/parameters/operator_policy/pp/op1").status()).isEqualTo(204);
    assertThat(admin.get("/api/operator-policies/pp/op1").status()).isEqualTo(404);
  }

  @Test
  void globalParametersAndTheClusterName() {
    assertThat(admin.get("/api/global-parameters").jsonList()).extracting(g -> g.get("name")).contains("internal_cluster_id");
    assertThat(admin.put("/api/global-parameters/my-setting", Map.of("value", Map.of("a", List.of(1, "b")))).status())
        .isEqualTo(201);
    assertThat(admin.get("/api/global-parameters/my-setting").json()).isEqualTo(Map.of("name", "my-setting",
        "value", Map.of("a", List.of(1, "b"))));
    assertThat(admin.put("/api/global-parameters/my-setting", Map.of("value", 2)).status()).isEqualTo(204);
    assertThat(admin.delete("/api/global-parameters/my-setting").status()).isEqualTo(204);
    assertThat(admin.get("/api/global-parameters/my-setting").status()).isEqualTo(404);
    assertThat(admin.delete("/api/global-parameters/my-setting").status()).isEqualTo(404);
    assertThat(admin.put("/api/cluster-name", Map.of("name", "warren-cluster")).status()).isEqualTo(204);
    assertThat(admin.get("/api/cluster-name").json()).isEqualTo(Map.of("name", "warren-cluster"));
    assertThat(admin.get("/api/global-parameters/cluster_name").json()).containsEntry("value", "warren-cluster");
    assertThat(ManagementHttp.as(broker, "viewer", "pw").put("/api/cluster-name", Map.of("name", "x")).status())
        .isEqualTo(401);
  }

  @Test
  void parametersAreForPolicymakersWithAPermissionOnTheVhost() {
    ManagementHttp viewer = ManagementHttp.as(broker, "viewer", "pw");
    assertThat(viewer.get("/api/parameters").json()).containsEntry("reason", "User not authorised to access object");
    assertThat(viewer.get("/api/global-parameters").json()).containsEntry("reason", "User not authorised to access object");
    ManagementHttp maker = ManagementHttp.as(broker, "maker", "pw");
    assertThat(maker.get("/api/global-parameters").status()).isEqualTo(200);
    assertThat(maker.get("/api/parameters/vhost-limits/pp").status()).isEqualTo(401);
    broker.server().broker().setPermission("maker", "pp", io.warrenmq.broker.auth.Permission.ALL);
    assertThat(maker.get("/api/parameters/vhost-limits/pp").status()).isEqualTo(200);
  }

  @Test
  void parametersSurviveARestart() throws Exception {
    admin.put("/api/parameters/vhost-limits/pp/limits", Map.of("value", Map.of("max-connections", 4)));
    admin.put("/api/global-parameters/kept", Map.of("value", "yes"));
    broker.restart();
    admin = ManagementHttp.guest(broker);
    assertThat(admin.get("/api/global-parameters/kept").json()).containsEntry("value", "yes");
    assertThat(broker.server().broker().vhost("pp").limits().get("max-connections")).isEqualTo(4);
    admin.delete("/api/parameters/vhost-limits/pp/limits");
  }
}
