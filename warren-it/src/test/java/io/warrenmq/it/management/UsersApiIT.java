package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/users} as RabbitMQ 3.13.7 answers it (rabbit_mgmt_wm_user, _users,
 * _users_bulk_delete, rabbit_auth_backend_internal:put_user): internal_user's fields, PUT with a
 * password or one of RabbitMQ's three hash formats (which AMQP logins then verify), tags as a
 * string or a list, RabbitMQ's reasons for what it refuses, and administrators only.
 */
class UsersApiIT {
  @RegisterExtension static final BrokerExtension broker = BrokerExtension.withManagement();
  private static ManagementHttp admin;

  @BeforeAll
  static void setUp() {
    broker.server().broker().addUser("watcher", "pw", List.of("monitoring"));
    admin = ManagementHttp.guest(broker);
  }

  /** RabbitMQ's salted hash: base64(salt ++ DIGEST(salt ++ password)). */
  static String hash(String algorithm, String password) throws Exception {
    byte[] salt = {1, 2, 3, 4};
    MessageDigest d = MessageDigest.getInstance(algorithm);
    d.update(salt);
    d.update(password.getBytes(StandardCharsets.UTF_8));
    byte[] digest = d.digest();
    byte[] all = new byte[4 + digest.length];
    System.arraycopy(salt, 0, all, 0, 4);
    System.arraycopy(digest, 0, all, 4, digest.length);
    return Base64.getEncoder().encodeToString(all);
  }

  private static void amqpLogin(String user, String password) throws Exception {
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword(password);
    try (Connection c = f.newConnection()) {
      assertThat(c.isOpen()).isTrue();
    }
  }

  private static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void aUserIsRabbitMqsInternalUser() {
    Map<String, Object> guest = admin.get("/api/users/guest").json();
    assertThat(guest.keySet()).containsExactly("name", "password_hash", "hashing_algorithm", "tags", "limits");
    assertThat(guest).containsEntry("hashing_algorithm", "rabbit_password_hashing_sha256")
        .containsEntry("tags", List.of("administrator")).containsEntry("limits", Map.of());
    assertThat(Base64.getDecoder().decode((String) guest.get("password_hash"))).hasSize(36);
    assertThat(admin.get("/api/users").jsonList()).extracting(u -> u.get("name")).contains("guest", "watcher");
  }

  @Test
  void putWithAPasswordCreatesThenUpdatesAndTheUserLogsIn() throws Exception {
    assertThat(admin.put("/api/users/u-pw", body("password", "s1", "tags", "management, policymaker")).status())
        .isEqualTo(201);
    assertThat(admin.get("/api/users/u-pw").json()).containsEntry("tags", List.of("management", "policymaker"));
    admin.put("/api/permissions/%2F/u-pw", body("configure", ".*", "write", ".*", "read", ".*"));
    amqpLogin("u-pw", "s1");
    assertThat(admin.put("/api/users/u-pw", body("password", "s2", "tags", List.of("administrator", "foo"))).status())
        .isEqualTo(204);
    amqpLogin("u-pw", "s2");
    assertThat(admin.get("/api/users/u-pw").json()).containsEntry("tags", List.of("administrator", "foo"));
  }

  @Test
  void rabbitMqsSha256Sha512AndMd5HashesAreKeptWithTheirAlgorithmAndVerified() throws Exception {
    Map<String, String> algorithms = Map.of("rabbit_password_hashing_sha256", "SHA-256",
        "rabbit_password_hashing_sha512", "SHA-512", "rabbit_password_hashing_md5", "MD5");
    for (Map.Entry<String, String> a : algorithms.entrySet()) {
      String user = "u-" + a.getValue();
      String h = hash(a.getValue(), "secret-" + a.getValue());
      assertThat(admin.put("/api/users/" + user, body("password_hash", h, "hashing_algorithm", a.getKey(),
          "tags", "")).status()).isEqualTo(201);
      assertThat(admin.get("/api/users/" + user).json()).containsEntry("password_hash", h)
          .containsEntry("hashing_algorithm", a.getKey()).containsEntry("tags", List.of());
      admin.put("/api/permissions/%2F/" + user, body("configure", ".*", "write", ".*", "read", ".*"));
      amqpLogin(user, "secret-" + a.getValue());
      assertThatThrownBy(() -> amqpLogin(user, "wrong")).isInstanceOf(AuthenticationFailureException.class);
    }
  }

  @Test
  void definitionsWithSha512AndMd5HashesImportAndTheirUsersLogInOverAmqpAndHttp() throws Exception {
    String sha512 = hash("SHA-512", "s512");
    String md5 = hash("MD5", "smd5");
    String defs = "{\"users\":["
        + "{\"name\":\"d-512\",\"password_hash\":\"" + sha512 + "\",\"hashing_algorithm\":\"rabbit_password_hashing_sha512\",\"tags\":\"management\"},"
        + "{\"name\":\"d-md5\",\"password_hash\":\"" + md5 + "\",\"hashing_algorithm\":\"rabbit_password_hashing_md5\",\"tags\":[\"management\"]}],"
        + "\"permissions\":[{\"user\":\"d-512\",\"vhost\":\"/\",\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"},"
        + "{\"user\":\"d-md5\",\"vhost\":\"/\",\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}]}";
    assertThat(admin.post("/api/definitions", defs).status()).isIn(200, 201, 204);
    amqpLogin("d-512", "s512");
    amqpLogin("d-md5", "smd5");
    assertThatThrownBy(() -> amqpLogin("d-512", "smd5")).isInstanceOf(AuthenticationFailureException.class);
    assertThat(ManagementHttp.as(broker, "d-512", "s512").get("/api/whoami").status()).isEqualTo(200);
    assertThat(ManagementHttp.as(broker, "d-md5", "smd5").get("/api/whoami").status()).isEqualTo(200);
    assertThat(ManagementHttp.as(broker, "d-md5", "wrong").get("/api/whoami").status()).isEqualTo(401);
    // the export gives them back as they came, so RabbitMQ can import them again
    String export = admin.get("/api/definitions").body();
    assertThat(export).contains(sha512).contains("rabbit_password_hashing_sha512").contains(md5)
        .contains("rabbit_password_hashing_md5");
  }

  @Test
  void aHashWithoutAnAlgorithmIsSha256() throws Exception {
    String h = hash("SHA-256", "plain-hash");
    admin.put("/api/users/u-noalg", body("password_hash", h, "tags", "management"));
    assertThat(admin.get("/api/users/u-noalg").json()).containsEntry("hashing_algorithm", "rabbit_password_hashing_sha256");
    // a hash is decoded and stored as bytes: any base64 is accepted, even of the wrong length
    assertThat(admin.put("/api/users/u-short", body("password_hash", "IECV6PZI/Invh0DL187KFpkO5Jc=", "tags", "")).status())
        .isEqualTo(201);
  }

  @Test
  void rabbitMqsRefusalsComeWithItsReasons() {
    Map<String, Object> cases = new LinkedHashMap<>();
    cases.put("{\"password\":\"a\"}", "tags_not_present");
    cases.put("{\"flim\":\"flam\"}", "tags_not_present");
    cases.put("{\"password\":\"a\",\"password_hash\":\"b\",\"tags\":\"\"}", "both_password_and_password_hash_are_provided");
    cases.put("{\"password_hash\":\"not_hash\",\"tags\":\"\"}", List.of("not_base64", "not_hash"));
    cases.put("Something not JSON", "not_json");
    cases.put("{\"password\":\"a\",\"tags\":\"\",\"limits\":{\"max-x\":1}}",
        "Unrecognised terms [{<<\"max-x\">>,1}] in user-limits");
    cases.forEach((sent, reason) -> {
      Reply r = admin.put("/api/users/u-bad", sent);
      assertThat(r.status()).as(sent).isEqualTo(400);
      assertThat(r.json()).as(sent).containsEntry("error", "bad_request").containsEntry("reason", reason);
    });
    assertThat(admin.get("/api/users/u-bad").status()).isEqualTo(404);
  }

  @Test
  void aHashFromHashPasswordLogsTheNewUserIn() throws Exception {
    String h = (String) admin.get("/api/auth/hash_password/some_password").json().get("ok");
    assertThat(admin.put("/api/users/u-gen", body("password_hash", h, "tags", "administrator")).status()).isEqualTo(201);
    assertThat(ManagementHttp.as(broker, "u-gen", "some_password").get("/api/users/u-gen").json())
        .containsEntry("password_hash", h);
  }

  @Test
  void theLegacyAdministratorFlagStandsForTheTags() {
    admin.put("/api/users/u-legacy1", body("password", "p", "administrator", "true"));
    admin.put("/api/users/u-legacy2", body("password", "p", "administrator", "false"));
    assertThat(admin.get("/api/users/u-legacy1").json()).containsEntry("tags", List.of("administrator"));
    assertThat(admin.get("/api/users/u-legacy2").json()).containsEntry("tags", List.of());
  }

  @Test
  void aPutWithoutPasswordOrHashClearsThePassword() throws Exception {
    admin.put("/api/users/u-clear", body("password", "p", "tags", "management"));
    admin.put("/api/permissions/%2F/u-clear", body("configure", ".*", "write", ".*", "read", ".*"));
    amqpLogin("u-clear", "p");
    assertThat(admin.put("/api/users/u-clear", body("tags", "impersonator")).status()).isEqualTo(204);
    assertThat(admin.get("/api/users/u-clear").json()).containsEntry("password_hash", "")
        .containsEntry("hashing_algorithm", "rabbit_password_hashing_sha256").containsEntry("tags", List.of("impersonator"));
    assertThatThrownBy(() -> amqpLogin("u-clear", "p")).isInstanceOf(AuthenticationFailureException.class);
  }

  @Test
  void aNewUserMayComeWithPermissionsAndLimits() {
    admin.put("/api/vhosts/v-pre", null);
    Map<String, Object> perm = Map.of("configure", ".*", "write", "w", "read", "r");
    assertThat(admin.put("/api/users/u-pre", body("password", "p", "tags", "management",
        "permissions", Map.of("v-pre", perm), "limits", Map.of("max-connections", 3))).status()).isEqualTo(201);
    assertThat(admin.get("/api/permissions/v-pre/u-pre").json()).containsEntry("write", "w").containsEntry("read", "r");
    assertThat(admin.get("/api/users/u-pre").json()).containsEntry("limits", Map.of("max-connections", 3));
  }

  @Test
  void usersWithoutPermissionsAndBulkDelete() {
    admin.put("/api/users/u-lonely", body("password", "p", "tags", ""));
    admin.put("/api/users/u-bulk1", body("password", "p", "tags", ""));
    admin.put("/api/users/u-bulk2", body("password", "p", "tags", ""));
    assertThat(admin.get("/api/users/without-permissions").jsonList()).extracting(u -> u.get("name"))
        .contains("u-lonely").doesNotContain("guest");
    assertThat(admin.post("/api/users/bulk-delete", Map.of("users", List.of("u-bulk1", "u-bulk2", "no-such"))).status())
        .isEqualTo(204);
    assertThat(admin.get("/api/users/u-bulk1").status()).isEqualTo(404);
    assertThat(admin.get("/api/users/u-bulk2").status()).isEqualTo(404);
    Reply r = admin.post("/api/users/bulk-delete", Map.of());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json()).containsEntry("reason", "[{key_missing,users}]");
  }

  @Test
  void deleteAnswers204Then404() {
    admin.put("/api/users/u-del", body("password", "p", "tags", ""));
    assertThat(admin.delete("/api/users/u-del").status()).isEqualTo(204);
    assertThat(admin.delete("/api/users/u-del").status()).isEqualTo(404);
    assertThat(admin.get("/api/users/u-del").json()).containsEntry("error", "Object Not Found");
  }

  @Test
  void aUsersPermissionsAndTopicPermissions() {
    admin.put("/api/users/u-perm", body("password", "p", "tags", ""));
    admin.put("/api/permissions/%2F/u-perm", body("configure", "c", "write", "w", "read", "r"));
    admin.put("/api/topic-permissions/%2F/u-perm", body("exchange", "amq.topic", "write", "tw", "read", "tr"));
    assertThat(admin.get("/api/users/u-perm/permissions").jsonList()).containsExactly(
        Map.of("user", "u-perm", "vhost", "/", "configure", "c", "write", "w", "read", "r"));
    assertThat(admin.get("/api/users/u-perm/topic-permissions").jsonList()).containsExactly(
        Map.of("user", "u-perm", "vhost", "/", "exchange", "amq.topic", "write", "tw", "read", "tr"));
    assertThat(admin.get("/api/users/no-such/permissions").status()).isEqualTo(404);
    assertThat(admin.get("/api/users/no-such/topic-permissions").status()).isEqualTo(404);
  }

  @Test
  void everyUserResourceIsForAdministratorsOnly() {
    ManagementHttp watcher = ManagementHttp.as(broker, "watcher", "pw");
    for (String path : List.of("/api/users", "/api/users/guest", "/api/users/without-permissions",
        "/api/users/guest/permissions", "/api/users/guest/topic-permissions")) {
      Reply r = watcher.get(path);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.json()).as(path).containsEntry("reason", "Not administrator user");
    }
    assertThat(watcher.put("/api/users/x", body("password", "p", "tags", "")).status()).isEqualTo(401);
    assertThat(watcher.delete("/api/users/guest").status()).isEqualTo(401);
    assertThat(watcher.post("/api/users/bulk-delete", Map.of("users", List.of("guest"))).status()).isEqualTo(401);
    assertThat(admin.get("/api/users/guest").status()).isEqualTo(200);
  }
}
