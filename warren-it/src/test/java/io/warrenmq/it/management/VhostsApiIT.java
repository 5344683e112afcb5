package io.warrenmq.it.management;

import static io.warrenmq.it.support.ManagementHttp.enc;
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
 * {@code /api/vhosts} as RabbitMQ 3.13.7's rabbit_mgmt_wm_vhosts and rabbit_mgmt_wm_vhost answer
 * it: rabbit_vhost:info's fields, PUT creating (201, with full permissions for the creator) and
 * updating (204) description, tags, default queue type and tracing, DELETE, and only
 * administrators for one vhost.
 */
class VhostsApiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  private static ManagementHttp admin;

  @BeforeAll
  static void users() {
    broker.server().broker().addUser("watcher", "pw", List.of("monitoring"));
    broker.server().broker().addUser("viewer", "pw", List.of("management"));
    admin = ManagementHttp.guest(broker);
  }

  @Test
  void theDefaultVhostIsListedWithRabbitMqsFields() {
    Reply r = admin.get("/api/vhosts/%2F");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).containsEntry("name", "/").containsEntry("description", "Default virtual host")
        .containsEntry("tags", List.of()).containsEntry("default_queue_type", "undefined")
        .containsEntry("metadata", Map.of("description", "Default virtual host", "tags", List.of()))
        .containsEntry("tracing", false)
        .containsEntry("cluster_state", Map.of(broker.server().broker().pids().node(), "running"));
  }

  @Test
  void putCreatesWith201ThenUpdatesWith204() {
    assertThat(admin.put("/api/vhosts/v-put", Map.of("description", "first", "tags", "a, b")).status()).isEqualTo(201);
    assertThat(admin.get("/api/vhosts/v-put").json()).containsEntry("description", "first")
        .containsEntry("tags", List.of("a", "b")).containsEntry("metadata", Map.of("description", "first", "tags", List.of("a", "b")));
    // the creator may use the vhost at once (rabbit_vhost maybe_grant_full_permissions)
    assertThat(admin.get("/api/permissions/v-put/guest").json()).containsEntry("configure", ".*");
    assertThat(admin.put("/api/vhosts/v-put", Map.of("tags", List.of("c"), "default_queue_type", "quorum")).status())
        .isEqualTo(204);
    // a PUT replaces the description and tags (absent ones become empty) and keeps a default queue type
    assertThat(admin.get("/api/vhosts/v-put").json()).containsEntry("description", "").containsEntry("tags", List.of("c"))
        .containsEntry("default_queue_type", "quorum");
    assertThat(admin.put("/api/vhosts/v-put", Map.of()).status()).isEqualTo(204);
    assertThat(admin.get("/api/vhosts/v-put").json()).containsEntry("default_queue_type", "quorum");
  }

  @Test
  void theOldDefaultQueueTypeKeyOf311IsAcceptedAndAnUnknownTypeIsRefused() {
    assertThat(admin.put("/api/vhosts/v-dqt", Map.of("defaultqueuetype", "stream")).status()).isEqualTo(201);
    assertThat(admin.get("/api/vhosts/v-dqt").json()).containsEntry("default_queue_type", "stream");
    Reply bad = admin.put("/api/vhosts/v-dqt-bad", Map.of("default_queue_type", "bogus"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json()).containsEntry("reason", List.of("invalid_queue_type", "bogus"));
    assertThat(admin.get("/api/vhosts/v-dqt-bad").status()).isEqualTo(404);
  }

  @Test
  void tracingInThePutTurnsTheFirehoseOnAndOff() {
    admin.put("/api/vhosts/v-trace", Map.of("tracing", true));
    assertThat(admin.get("/api/vhosts/v-trace").json()).containsEntry("tracing", true);
    assertThat(broker.server().broker().vhost("v-trace").firehose().enabled()).isTrue();
    admin.put("/api/vhosts/v-trace", Map.of("tracing", "false"));
    assertThat(admin.get("/api/vhosts/v-trace").json()).containsEntry("tracing", false);
    assertThat(broker.server().broker().vhost("v-trace").firehose().enabled()).isFalse();
  }

  @Test
  void deleteAnswers204ThenTheVhostIsNotFound() {
    admin.put("/api/vhosts/v-del", null);
    assertThat(admin.delete("/api/vhosts/v-del").status()).isEqualTo(204);
    assertThat(admin.get("/api/vhosts/v-del").json()).containsEntry("error", "Object Not Found");
    assertThat(admin.delete("/api/vhosts/v-del").status()).isEqualTo(404);
  }

  @Test
  void oneVhostIsForAdministratorsOnlyButTheListForEveryManagementUser() {
    for (String user : List.of("watcher", "viewer")) {
      ManagementHttp m = ManagementHttp.as(broker, user, "pw");
      Reply r = m.get("/api/vhosts/%2F");
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.json()).containsEntry("error", "not_authorised").containsEntry("reason", "Not administrator user");
      assertThat(m.put("/api/vhosts/v-nope", Map.of()).status()).isEqualTo(401);
      assertThat(m.delete("/api/vhosts/%2F").status()).isEqualTo(401);
    }
    admin.put("/api/vhosts/v-seen", Map.of());
    // monitoring sees every vhost, management only the ones it may log in to
    assertThat(ManagementHttp.as(broker, "watcher", "pw").get("/api/vhosts").jsonList())
        .extracting(v -> v.get("name")).contains("/", "v-seen");
    assertThat(ManagementHttp.as(broker, "viewer", "pw").get("/api/vhosts").jsonList()).isEmpty();
    admin.put("/api/permissions/v-seen/viewer", Map.of("configure", "", "write", "", "read", ".*"));
    assertThat(ManagementHttp.as(broker, "viewer", "pw").get("/api/vhosts").jsonList())
        .extracting(v -> v.get("name")).containsExactly("v-seen");
  }

  @Test
  void theListPagesAndSortsAsRabbitMqListings() {
    for (String v : List.of("v-page-b", "v-page-a", "v-page-c")) {
      admin.put("/api/vhosts/" + enc(v), Map.of());
    }
    Map<String, Object> page = admin.get("/api/vhosts?page=1&page_size=2&name=v-page&sort=name&sort_reverse=true").json();
    assertThat(page).containsEntry("filtered_count", 3).containsEntry("item_count", 2);
    List<Object> items = List.copyOf((List<?>) page.get("items"));
    assertThat(items).extracting(v -> (Object) ((Map<?, ?>) v).get("name"))
        .containsExactly("v-page-c", "v-page-b");
  }

  @Test
  void descriptionTagsAndDefaultQueueTypeSurviveARestart() throws Exception {
    admin.put("/api/vhosts/v-durable", Map.of("description", "kept", "tags", "x,y", "default_queue_type", "quorum"));
    broker.restart();
    admin = ManagementHttp.guest(broker);
    assertThat(admin.get("/api/vhosts/v-durable").json()).containsEntry("description", "kept")
        .containsEntry("tags", List.of("x", "y")).containsEntry("default_queue_type", "quorum");
    assertThat(admin.get("/api/vhosts/%2F").json()).containsEntry("description", "Default virtual host");
  }

  @Test
  void warrenctlListsTheVhostsInfoItemsAndAddsVhostsWithMetadata() {
    Warrenctl.Run add = Warrenctl.run(broker, "add_vhost", "v-ctl", "--description", "from ctl", "--tags", "t1,t2");
    assertThat(add.code()).isZero();
    assertThat(add.out()).isEqualTo("Adding vhost \"v-ctl\" ...\n");
    Warrenctl.Run list = Warrenctl.run(broker, "-q", "list_vhosts", "name", "description", "tags", "tracing",
        "default_queue_type");
    assertThat(list.out()).startsWith("name\tdescription\ttags\ttracing\tdefault_queue_type\n")
        .contains("\nv-ctl\tfrom ctl\tt1,t2\tfalse\tundefined\n").contains("\n/\tDefault virtual host\t[]\tfalse\tundefined\n");
    assertThat(admin.get("/api/vhosts/v-ctl").json()).containsEntry("tags", List.of("t1", "t2"));
  }
}
