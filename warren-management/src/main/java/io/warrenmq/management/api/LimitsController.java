package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.parameter.RuntimeParameters.Parameter;
import io.warrenmq.broker.term.ValidationError;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Vhost limits (rabbit_mgmt_wm_limits, _limit) and user limits (rabbit_mgmt_wm_user_limits,
 * _user_limit): {@code /api/vhost-limits[/{vhost}]} lists {@code {"vhost","value"}} for the vhosts
 * the user sees, {@code /api/vhost-limits/{vhost}/{name}} PUT {@code {"value": N}} (max-connections,
 * max-queues) and DELETE for administrators; the same for users ({@code max-connections},
 * {@code max-channels}) under {@code /api/user-limits}. PUT answers 204, as RabbitMQ's resources
 * always exist.
 */
final class LimitsController {
  private final Broker broker;

  LimitsController(Broker broker) {
    this.broker = broker;
  }

  void register(ApiRoutes api) {
    api.put("/api/vhost-limits/{vhost}/{name}", Access.ADMIN, this::putVhostLimit);
    api.delete("/api/vhost-limits/{vhost}/{name}", Access.ADMIN, c -> {
      broker.parameterAdmin().clearVhostLimit(vhost(c).name(), c.param("name"));
      return Response.noContent();
    });
    api.get("/api/vhost-limits", Access.VHOST_VISIBLE, c -> vhostLimits(c, c.principal().visibleVhosts()));
    api.get("/api/vhost-limits/{vhost}", Access.VHOST_VISIBLE, c -> vhostLimits(c, List.of(c.vhost())));
    api.put("/api/user-limits/{user}/{name}", Access.ADMIN, this::putUserLimit);
    api.delete("/api/user-limits/{user}/{name}", Access.ADMIN, c -> {
      broker.userAdmin().clearLimits(user(c).name(), c.param("name"));
      return Response.noContent();
    });
    api.get("/api/user-limits", Access.VHOST_VISIBLE, c -> userLimits(c, broker.users().list()));
    api.get("/api/user-limits/{user}", Access.VHOST_VISIBLE, c -> userLimits(c, List.of(user(c))));
  }

  private VirtualHost vhost(Call c) {
    VirtualHost vh = broker.vhost(c.param("vhost"));
    if (vh == null) {
      throw ApiException.notFound("vhost_not_found");
    }
    return vh;
  }

  private User user(Call c) {
    User u = broker.users().get(c.param("user"));
    if (u == null) {
      throw Call.notFound();
    }
    return u;
  }

  private Response putVhostLimit(Call c) {
    VirtualHost vh = vhost(c);
    Map<String, Object> body = c.body();
    Response missing = ConfigReplies.missing(body, "value");
    if (missing != null) {
      return missing;
    }
    try {
      broker.parameterAdmin().updateVhostLimit(vh.name(), c.param("name"), body.get("value"));
    } catch (ValidationError e) {
      return ConfigReplies.badRequest(e.getMessage());
    }
    return Response.noContent();
  }

  private Response putUserLimit(Call c) {
    User u = user(c);
    Map<String, Object> body = c.body();
    Response missing = ConfigReplies.missing(body, "value");
    if (missing != null) {
      return missing;
    }
    try {
      broker.userAdmin().setLimits(u.name(), java.util.Collections.singletonMap(c.param("name"), body.get("value")));
    } catch (ValidationError e) {
      return ConfigReplies.badRequest(e.getMessage());
    }
    return Response.noContent();
  }

  private Response vhostLimits(Call c, List<VirtualHost> vhosts) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (VirtualHost vh : vhosts) {
      Parameter p = broker.runtimeParameters().get(vh.name(), "vhost-limits", "limits");
      if (p != null) {
        items.add(ConfigReplies.object("vhost", vh.name(), "value", p.value()));
      }
    }
    return ConfigReplies.list(c, items, List.of());
  }

  private Response userLimits(Call c, List<User> users) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (User u : users) {
      if (!u.limits().isEmpty()) {
        items.add(ConfigReplies.object("user", u.name(), "value", u.limits().values()));
      }
    }
    return ConfigReplies.list(c, items, List.of());
  }
}
