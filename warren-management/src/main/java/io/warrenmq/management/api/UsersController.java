package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.PasswordHash;
import io.warrenmq.broker.auth.TopicPermissions;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.UserUpdate;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /api/users} and its sub-resources, all for administrators (rabbit_mgmt_wm_users,
 * _user, _users_bulk_delete, _permissions_user, _topic_permissions_user, _hash_password): the list,
 * {@code without-permissions}, {@code bulk-delete}, one user (GET, PUT as put_user, DELETE), its
 * permissions and topic permissions. A user is rabbit_mgmt_format:internal_user: name,
 * password_hash, hashing_algorithm, tags (a list) and limits.
 */
final class UsersController {
  private final Broker broker;

  UsersController(Broker broker) {
    this.broker = broker;
  }

  void register(ApiRoutes api) {
    api.post("/api/users/bulk-delete", Access.ADMIN, this::bulkDelete);
    api.get("/api/users/without-permissions", Access.ADMIN, this::withoutPermissions);
    api.get("/api/users", Access.ADMIN, c -> Listing.ofMaps(users(broker.users().list()), List.of("name")).reply(c));
    api.get("/api/users/{user}", Access.ADMIN, c -> Response.ok(json(user(c))));
    api.put("/api/users/{user}", Access.ADMIN, ConfigReplies.guarded(this::put));
    api.delete("/api/users/{user}", Access.ADMIN, this::delete);
    api.get("/api/users/{user}/permissions", Access.ADMIN, this::permissions);
    api.get("/api/users/{user}/topic-permissions", Access.ADMIN, this::topicPermissions);
    // rabbit_mgmt_wm_hash_password: a hash of the password as a new user's would be made
    api.get("/api/auth/hash_password/{password}", Access.ADMIN,
        c -> Response.ok(Map.of("ok", PasswordHash.hash(c.param("password")))));
  }

  private User user(Call c) {
    User u = broker.users().get(c.param("user"));
    if (u == null) {
      throw Call.notFound();
    }
    return u;
  }

  private Response withoutPermissions(Call c) {
    Set<String> granted = broker.users().grants().stream().map(Users.Grant::user).collect(Collectors.toSet());
    List<User> l = broker.users().list().stream().filter(u -> !granted.contains(u.name())).toList();
    return Listing.ofMaps(users(l), List.of("name")).reply(c);
  }

  private Response put(Call c) {
    Map<String, Object> body = c.body();
    return ConfigReplies.put(broker.userAdmin().put(UserUpdate.of(c.param("user"), body), null));
  }

  private Response delete(Call c) {
    broker.deleteUser(user(c).name());
    return Response.noContent();
  }

  /** rabbit_mgmt_wm_users_bulk_delete: {"users": [...]}; users that do not exist are skipped. */
  private Response bulkDelete(Call c) {
    Map<String, Object> body = c.body();
    Response missing = ConfigReplies.missing(body, "users");
    if (missing != null) {
      return missing;
    }
    if (body.get("users") instanceof List<?> names) {
      for (Object n : names) {
        if (broker.users().get(String.valueOf(n)) != null) {
          broker.deleteUser(String.valueOf(n));
        }
      }
    }
    return Response.noContent();
  }

  private Response permissions(Call c) {
    String name = user(c).name();
    List<Map<String, Object>> items = new ArrayList<>();
    for (Users.Grant g : broker.users().grants()) {
      if (g.user().equals(name)) {
        items.add(PermissionsController.json(g));
      }
    }
    return ConfigReplies.list(c, items, List.of("vhost", "user"));
  }

  private Response topicPermissions(Call c) {
    String name = user(c).name();
    List<Map<String, Object>> items = new ArrayList<>();
    for (TopicPermissions.Grant g : broker.users().topicPermissions().grants()) {
      if (g.user().equals(name)) {
        items.add(PermissionsController.json(g));
      }
    }
    return ConfigReplies.list(c, items, List.of("vhost", "user"));
  }

  private static List<Map<String, Object>> users(List<User> users) {
    List<Map<String, Object>> out = new ArrayList<>(users.size());
    users.forEach(u -> out.add(json(u)));
    return out;
  }

  /** rabbit_mgmt_format:internal_user. */
  static Map<String, Object> json(User u) {
    return ConfigReplies.object("name", u.name(), "password_hash", u.passwordHash(),
        "hashing_algorithm", u.hashing().rabbitName(), "tags", u.tags(), "limits", u.limits().values());
  }
}
