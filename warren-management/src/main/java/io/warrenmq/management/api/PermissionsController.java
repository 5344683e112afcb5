package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.auth.TopicPermission;
import io.warrenmq.broker.auth.TopicPermissions;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Permissions and topic permissions, all for administrators (rabbit_mgmt_wm_permissions,
 * _permission, _permissions_vhost, _topic_permissions, _topic_permission,
 * _topic_permissions_vhost): the lists, one user's permission in a vhost (GET, PUT
 * {@code {"configure","write","read"}}, DELETE), and a user's topic permissions in a vhost (GET
 * lists them all, PUT {@code {"exchange","write","read"}} sets one, DELETE clears them all, or the
 * one exchange of {@code /api/topic-permissions/{vhost}/{user}/{exchange}}). A PUT for a user or
 * vhost that does not exist is 400 {@code vhost_or_user_not_found}, as RabbitMQ answers it.
 */
final class PermissionsController {
  private final Broker broker;

  PermissionsController(Broker broker) {
    this.broker = broker;
  }

  void register(ApiRoutes api) {
    api.get("/api/vhosts/{vhost}/permissions", Access.ADMIN, c -> {
      String v = c.vhost().name();
      return permissions(c, g -> g.vhost().equals(v));
    });
    api.get("/api/vhosts/{vhost}/topic-permissions", Access.ADMIN, c -> {
      String v = c.vhost().name();
      return topicPermissions(c, g -> g.vhost().equals(v));
    });
    api.get("/api/permissions", Access.ADMIN, c -> permissions(c, g -> true));
    api.get("/api/permissions/{vhost}/{user}", Access.ADMIN, c -> Response.ok(json(permission(c))));
    api.put("/api/permissions/{vhost}/{user}", Access.ADMIN, ConfigReplies.guarded(this::putPermission));
    api.delete("/api/permissions/{vhost}/{user}", Access.ADMIN, this::deletePermission);
    api.get("/api/topic-permissions", Access.ADMIN, c -> topicPermissions(c, g -> true));
    for (String path : List.of("/api/topic-permissions/{vhost}/{user}", "/api/topic-permissions/{vhost}/{user}/{exchange}")) {
      api.get(path, Access.ADMIN, this::getTopic);
      api.put(path, Access.ADMIN, ConfigReplies.guarded(this::putTopic));
      api.delete(path, Access.ADMIN, this::deleteTopic);
    }
  }

  private boolean userAndVhostExist(Call c) {
    return broker.users().get(c.param("user")) != null && broker.vhost(c.param("vhost")) != null;
  }

  private Users.Grant permission(Call c) {
    Permission p = userAndVhostExist(c) ? broker.users().permission(c.param("user"), c.param("vhost")) : null;
    if (p == null) {
      throw Call.notFound();
    }
    return new Users.Grant(c.param("user"), c.param("vhost"), p);
  }

  private Response putPermission(Call c) {
    if (!userAndVhostExist(c)) {
      return ConfigReplies.badRequest("vhost_or_user_not_found");
    }
    Map<String, Object> body = c.body();
    Response missing = ConfigReplies.missing(body, "configure", "write", "read");
    if (missing != null) {
      return missing;
    }
    boolean created = broker.users().permission(c.param("user"), c.param("vhost")) == null;
    broker.setPermission(c.param("user"), c.param("vhost"), new Permission(String.valueOf(body.get("configure")),
        String.valueOf(body.get("write")), String.valueOf(body.get("read"))));
    return ConfigReplies.put(created);
  }

  private Response deletePermission(Call c) {
    Users.Grant g = permission(c);
    broker.clearPermission(g.user(), g.vhost());
    return Response.noContent();
  }

  private Response permissions(Call c, Predicate<Users.Grant> which) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Users.Grant g : broker.users().grants()) {
      if (which.test(g)) {
        items.add(json(g));
      }
    }
    return ConfigReplies.list(c, items, List.of("vhost", "user"));
  }

  private Response topicPermissions(Call c, Predicate<TopicPermissions.Grant> which) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (TopicPermissions.Grant g : broker.users().topicPermissions().grants()) {
      if (which.test(g)) {
        items.add(json(g));
      }
    }
    return ConfigReplies.list(c, items, List.of("vhost", "user"));
  }

  /** The user's topic permissions in the vhost; empty if there are none or either does not exist. */
  private List<Map<String, Object>> topicGrants(Call c) {
    List<Map<String, Object>> items = new ArrayList<>();
    if (userAndVhostExist(c)) {
      for (TopicPermissions.Grant g : broker.users().topicPermissions().grants()) {
        if (g.user().equals(c.param("user")) && g.vhost().equals(c.param("vhost"))) {
          items.add(json(g));
        }
      }
    }
    return items;
  }

  /** rabbit_mgmt_wm_topic_permission to_json: every topic permission of the user in the vhost. */
  private Response getTopic(Call c) {
    List<Map<String, Object>> items = topicGrants(c);
    if (items.isEmpty()) {
      throw Call.notFound();
    }
    return Response.ok(items);
  }

  private Response putTopic(Call c) {
    if (!userAndVhostExist(c)) {
      return ConfigReplies.badRequest("vhost_or_user_not_found");
    }
    Map<String, Object> body = c.body();
    Response missing = ConfigReplies.missing(body, "exchange", "write", "read");
    if (missing != null) {
      return missing;
    }
    boolean created = topicGrants(c).isEmpty();
    broker.setTopicPermission(c.param("user"), c.param("vhost"), String.valueOf(body.get("exchange")),
        String.valueOf(body.get("write")), String.valueOf(body.get("read")));
    return ConfigReplies.put(created);
  }

  private Response deleteTopic(Call c) {
    if (topicGrants(c).isEmpty()) {
      throw Call.notFound();
    }
    broker.clearTopicPermissions(c.param("user"), c.param("vhost"), c.params().get("exchange"));
    return Response.noContent();
  }

  static Map<String, Object> json(Users.Grant g) {
    Permission p = g.permission();
    return ConfigReplies.object("user", g.user(), "vhost", g.vhost(), "configure", p.configure(), "write", p.write(),
        "read", p.read());
  }

  static Map<String, Object> json(TopicPermissions.Grant g) {
    TopicPermission p = g.permission();
    return ConfigReplies.object("user", g.user(), "vhost", g.vhost(), "exchange", p.exchange(), "write", p.write(),
        "read", p.read());
  }
}
