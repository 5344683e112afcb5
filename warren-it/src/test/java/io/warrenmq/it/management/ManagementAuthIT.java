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
 * Who may use the management API, answered as RabbitMQ's rabbit_web_dispatch_access_control
 * answers: basic credentials against the broker's users, and one of the management tags.
 */
class ManagementAuthIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();

  @BeforeAll
  static void users() {
    broker.server().broker().addUser("plain", "pw", List.of());
    broker.server().broker().addUser("viewer", "pw", List.of("management"));
  }

  @Test
  void withoutCredentialsTheAnswerIs401WithRabbitMqsRealm() {
    Reply r = ManagementHttp.as(broker, null, null).get("/api/whoami");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("www-authenticate")).isEqualTo("Basic realm=\"RabbitMQ Management\"");
    assertThat(r.json()).containsEntry("error", "not_authorized").containsEntry("reason", "Not_Authorized");
  }

  @Test
  void aWrongPasswordOrAnUnknownUserIs401WithoutABrowserPrompt() {
    for (Reply r : List.of(ManagementHttp.as(broker, "guest", "wrong").get("/api/whoami"),
        ManagementHttp.as(broker, "nobody", "pw").get("/api/whoami"))) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.json()).containsEntry("error", "not_authorized").containsEntry("reason", "Not_Authorized");
      // rabbit_web_dispatch_access_control:not_authenticated sends no www-authenticate
      assertThat(r.header("www-authenticate")).isNull();
    }
  }

  @Test
  void aUserWithoutAManagementTagIsNotAManagementUser() {
    Reply r = ManagementHttp.as(broker, "plain", "pw").get("/api/whoami");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"error\":\"not_authorised\",\"reason\":\"Not management user\"}");
  }

  @Test
  void whoamiNamesTheUserAndItsTags() {
    assertThat(ManagementHttp.guest(broker).get("/api/whoami").json())
        .isEqualTo(Map.of("name", "guest", "tags", List.of("administrator")));
    assertThat(ManagementHttp.as(broker, "viewer", "pw").get("/api/whoami").json())
        .isEqualTo(Map.of("name", "viewer", "tags", List.of("management")));
  }

  @Test
  void anUnknownPathIsRabbitMqsNotFound() {
    Reply r = ManagementHttp.guest(broker).get("/api/no-such-thing");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json()).containsEntry("error", "Object Not Found").containsEntry("reason", "Not Found");
  }

  @Test
  void theClusterNameIsTheNodeName() {
    assertThat(ManagementHttp.guest(broker).get("/api/cluster-name").json())
        .containsEntry("name", broker.server().broker().pids().node());
  }
}
