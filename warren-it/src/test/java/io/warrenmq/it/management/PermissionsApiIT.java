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
 * Permissions and topic permissions over the API as RabbitMQ 3.13.7 answers them
 * (rabbit_mgmt_wm_permission, _permissions*, _topic_permission, _topic_permissions*): 201 / 204
 * on PUT, 400 {@code vhost_or_user_not_found} and {@code key_missing}, RabbitMQ's
 * {@code invalid_regexp} term, 404 for what does not exist, administrators only.
 */
class PermissionsApiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  private static ManagementHttp admin;

  @BeforeAll
  static void setUp() {
    var b = broker.server().broker();
    b.addUser("bob", "pw", List.of());
    b.addUser("watcher", "pw", List.of("monitoring"));
    b.addVhost("pv");
    admin = ManagementHttp.guest(broker);
  }

  private static Map<String, Object> perm(String c, String w, String r) {
    return Map.of("configure", c, "write", w, "read", r);
  }

  @Test
  void aPermissionIsCreatedWith201ReplacedWith204AndDeletedWith204() {
    assertThat(admin.put("/api/permissions/pv/bob", perm("^c", "^w", "^r")).status()).isEqualTo(201);
    assertThat(admin.get("/api/permissions/pv/bob").json())
        .isEqualTo(Map.of("user", "bob", "vhost", "pv", "configure", "^c", "write", "^w", "read", "^r"));
    assertThat(admin.put("/api/permissions/pv/bob", perm(".*", ".*", ".*")).status()).isEqualTo(204);
    assertThat(broker.server().broker().users().permission("bob", "pv").configure()).isEqualTo(".*");
    assertThat(admin.delete("/api/permissions/pv/bob").status()).isEqualTo(204);
    assertThat(admin.get("/api/permissions/pv/bob").status()).isEqualTo(404);
    assertThat(admin.delete("/api/permissions/pv/bob").status()).isEqualTo(404);
  }

  @Test
  void badPermissionsAreRefusedWithRabbitMqsReasons() {
    for (String path : List.of("/api/permissions/nope/bob", "/api/permissions/pv/nobody")) {
      Reply r = admin.put(path, perm(".*", ".*", ".*"));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json()).containsEntry("reason", "vhost_or_user_not_found");
    }
    Reply missing = admin.put("/api/permissions/pv/bob", Map.of("configure", ".*"));
    assertThat(missing.json()).containsEntry("reason", "[{key_missing,write},{key_missing,read}]");
    Reply regex = admin.put("/api/permissions/pv/bob", perm("[", ".*", ".*"));
    assertThat(regex.status()).isEqualTo(400);
    // {invalid_regexp, "[", {Error, Offset}}: the pattern is a charlist, as RabbitMQ's JSON writes it
    List<?> reason = (List<?>) regex.json().get("reason");
    assertThat(reason.get(0)).isEqualTo("invalid_regexp");
    assertThat(reason.get(1)).isEqualTo(List.of(91));
  }

  @Test
  void listingsOfAllOfAVhostAndOfAUser() {
    admin.put("/api/permissions/pv/bob", perm("a", "b", "c"));
    assertThat(admin.get("/api/permissions").jsonList()).contains(
        Map.of("user", "bob", "vhost", "pv", "configure", "a", "write", "b", "read", "c"),
        Map.of("user", "guest", "vhost", "/", "configure", ".*", "write", ".*", "read", ".*"));
    assertThat(admin.get("/api/vhosts/pv/permissions").jsonList()).extracting(p -> p.get("user")).contains("bob")
        .doesNotContain("guest");
    assertThat(admin.get("/api/vhosts/nope/permissions").status()).isEqualTo(404);
    assertThat(admin.get("/api/permissions?columns=user,vhost&sort=user&sort_reverse=true").jsonList().getFirst())
        .isEqualTo(Map.of("user", "guest", "vhost", "/"));
  }

  @Test
  void topicPermissionsOfAUserInAVhostAreListedSetAndClearedTogetherOrByExchange() {
    assertThat(admin.get("/api/topic-permissions/pv/bob").status()).isEqualTo(404);
    assertThat(admin.put("/api/topic-permissions/pv/bob", Map.of("exchange", "amq.topic", "write", "^a", "read", ".*"))
        .status()).isEqualTo(201);
    assertThat(admin.put("/api/topic-permissions/pv/bob", Map.of("exchange", "x2", "write", "^b", "read", ""))
        .status()).isEqualTo(204);
    List<Map<String, Object>> all = admin.get("/api/topic-permissions/pv/bob").jsonList();
    assertThat(all).containsExactly(
        Map.of("user", "bob", "vhost", "pv", "exchange", "amq.topic", "write", "^a", "read", ".*"),
        Map.of("user", "bob", "vhost", "pv", "exchange", "x2", "write", "^b", "read", ""));
    // the exchange form of the path lists them all too, as RabbitMQ's to_json does
    assertThat(admin.get("/api/topic-permissions/pv/bob/x2").jsonList()).hasSize(2);
    assertThat(admin.get("/api/vhosts/pv/topic-permissions").jsonList()).hasSize(2);
    assertThat(admin.get("/api/topic-permissions").jsonList()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(admin.delete("/api/topic-permissions/pv/bob/x2").status()).isEqualTo(204);
    assertThat(admin.get("/api/topic-permissions/pv/bob").jsonList()).extracting(p -> p.get("exchange"))
        .containsExactly("amq.topic");
    assertThat(admin.delete("/api/topic-permissions/pv/bob").status()).isEqualTo(204);
    assertThat(admin.delete("/api/topic-permissions/pv/bob").status()).isEqualTo(404);
  }

  @Test
  void badTopicPermissionsAreRefusedWithRabbitMqsReasons() {
    assertThat(admin.put("/api/topic-permissions/pv/nobody", Map.of("exchange", "x", "write", "", "read", "")).json())
        .containsEntry("reason", "vhost_or_user_not_found");
    assertThat(admin.put("/api/topic-permissions/pv/bob", Map.of("exchange", "x")).json())
        .containsEntry("reason", "[{key_missing,write},{key_missing,read}]");
    Reply regex = admin.put("/api/topic-permissions/pv/bob", Map.of("exchange", "x", "write", "(", "read", ""));
    assertThat(regex.status()).isEqualTo(400);
    // the pattern is a binary here, a string in JSON
    assertThat(List.copyOf((List<?>) regex.json().get("reason")).subList(0, 2)).isEqualTo(List.of("invalid_regexp", "("));
  }

  @Test
  void permissionsAreForAdministratorsOnly() {
    ManagementHttp watcher = ManagementHttp.as(broker, "watcher", "pw");
    for (String path : List.of("/api/permissions", "/api/permissions/%2F/guest", "/api/topic-permissions",
        "/api/topic-permissions/%2F/guest", "/api/vhosts/%2F/permissions", "/api/vhosts/%2F/topic-permissions")) {
      assertThat(watcher.get(path).json()).as(path).containsEntry("error", "not_authorised")
          .containsEntry("reason", "Not administrator user");
    }
    assertThat(watcher.put("/api/permissions/pv/watcher", perm(".*", ".*", ".*")).status()).isEqualTo(401);
    assertThat(watcher.delete("/api/permissions/%2F/guest").status()).isEqualTo(401);
  }
}
