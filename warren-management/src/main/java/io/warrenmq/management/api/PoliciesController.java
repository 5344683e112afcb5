package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.parameter.JsonValues;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.term.ValidationError;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/policies[/{vhost}[/{name}]]} and {@code /api/operator-policies[...]}
 * (rabbit_mgmt_wm_policies, _policy, _operator_policies, _operator_policy): lists filtered to the
 * vhosts the user may log in to (all for administrators), sorted by priority; one policy GET, PUT
 * {@code {"pattern","definition","priority","apply-to"}} with rabbit_policy's validation and texts,
 * DELETE. Policies need policymaker and a permission on the vhost; operator policies
 * administrator.
 */
final class PoliciesController {
  private final Broker broker;

  PoliciesController(Broker broker) {
    this.broker = broker;
  }

  void register(ApiRoutes api) {
    for (boolean op : new boolean[] {false, true}) {
      String base = op ? "/api/operator-policies" : "/api/policies";
      Access one = op ? Access.ADMIN : Access.POLICIES;
      api.get(base, Access.VHOST, c -> list(c, null, op));
      api.get(base + "/{vhost}", Access.VHOST, c -> list(c, c.vhost(), op));
      api.get(base + "/{vhost}/{name}", one, c -> Response.ok(json(policy(c, op))));
      api.put(base + "/{vhost}/{name}", one, ConfigReplies.guarded(c -> put(c, op)));
      api.delete(base + "/{vhost}/{name}", one, c -> delete(c, op));
    }
  }

  private Response list(Call c, @Nullable VirtualHost only, boolean op) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Policy p : broker.policies().all()) {
      if (p.operator() == op && (only == null || p.vhost().equals(only.name())) && visible(c, p.vhost())) {
        items.add(json(p));
      }
    }
    return ConfigReplies.list(c, items, List.of("priority", "name"));
  }

  /** rabbit_mgmt_util:filter_vhost: administrators see every vhost, others those they may log in to. */
  private static boolean visible(Call c, String vhost) {
    return c.principal().isAdministrator() || c.principal().canLogIn(vhost);
  }

  private Policy policy(Call c, boolean op) {
    VirtualHost vh = c.vhost();
    for (Policy p : broker.policies().list(vh.name(), op)) {
      if (p.name().equals(c.param("name"))) {
        return p;
      }
    }
    throw Call.notFound();
  }

  private Response put(Call c, boolean op) {
    VirtualHost vh = broker.vhost(c.param("vhost"));
    if (vh == null) {
      throw ApiException.notFound("vhost_not_found");
    }
    Map<String, Object> body = c.body();
    Response missing = ConfigReplies.missing(body, "pattern", "definition");
    if (missing != null) {
      return missing;
    }
    boolean created = broker.policies().list(vh.name(), op).stream().noneMatch(p -> p.name().equals(c.param("name")));
    try {
      broker.setPolicy(Policy.parse(vh.name(), c.param("name"), body.get("pattern"), body.get("definition"),
          body.get("priority"), body.get("apply-to"), op));
    } catch (ValidationError e) {
      // rabbit_mgmt_wm_policy escapes the text for HTML; the operator policy resource does not
      return ConfigReplies.badRequest(op ? e.getMessage() : escapeHtml(e.getMessage()));
    }
    return ConfigReplies.put(created);
  }

  private Response delete(Call c, boolean op) {
    Policy p = policy(c, op);
    broker.clearPolicy(p.vhost(), p.name(), op);
    return Response.noContent();
  }

  /** rabbit_mgmt_format:escape_html_tags. */
  static String escapeHtml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** rabbit_policy's listing of one policy. */
  static Map<String, Object> json(Policy p) {
    return ConfigReplies.object("vhost", p.vhost(), "name", p.name(), "pattern", p.pattern(),
        "apply-to", p.applyTo().label(), "definition", JsonValues.fromField(p.definition()),
        "priority", p.priority());
  }
}
