package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.parameter.RuntimeParameters.Global;
import io.warrenmq.broker.parameter.RuntimeParameters.Parameter;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.term.ValidationError;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Runtime parameters (rabbit_mgmt_wm_parameters, _parameter; policymaker with a permission on the
 * vhost): {@code /api/parameters[/{component}[/{vhost}[/{name}]]]}, where the components are
 * those of a RabbitMQ without the federation and shovel plugins ({@code vhost-limits},
 * {@code operator_policy}; {@code policy} may only be listed), and global parameters
 * (rabbit_mgmt_wm_global_parameters, _global_parameter; policymaker):
 * {@code /api/global-parameters[/{name}]}, plus PUT {@code /api/cluster-name} (administrator),
 * which sets the global parameter {@code cluster_name}. A parameter is
 * {@code {"vhost","component","name","value"}}.
 */
final class ParametersController {
  private final Broker broker;

  ParametersController(Broker broker) {
    this.broker = broker;
  }

  void register(ApiRoutes api) {
    api.get("/api/parameters", Access.POLICIES, c -> list(c, p -> true));
    api.get("/api/parameters/{component}", Access.POLICIES,
        c -> list(c, p -> p.component().equals(c.param("component"))));
    api.get("/api/parameters/{component}/{vhost}", Access.POLICIES, c -> {
      String v = c.vhost().name();
      return list(c, p -> p.component().equals(c.param("component")) && p.vhost().equals(v));
    });
    api.get("/api/parameters/{component}/{vhost}/{name}", Access.POLICIES, c -> Response.ok(json(parameter(c))));
    api.put("/api/parameters/{component}/{vhost}/{name}", Access.POLICIES, this::put);
    api.delete("/api/parameters/{component}/{vhost}/{name}", Access.POLICIES, this::delete);
    api.get("/api/global-parameters", Access.GLOBAL_PARAMETERS, this::globals);
    api.get("/api/global-parameters/{name}", Access.GLOBAL_PARAMETERS, c -> Response.ok(json(global(c))));
    api.put("/api/global-parameters/{name}", Access.GLOBAL_PARAMETERS, ConfigReplies.guarded(this::putGlobal));
    api.delete("/api/global-parameters/{name}", Access.GLOBAL_PARAMETERS, c -> {
      broker.parameterAdmin().clearGlobal(global(c).name());
      return Response.noContent();
    });
    api.put("/api/cluster-name", Access.ADMIN, this::putClusterName);
  }

  /** Every parameter but policies, or the policies when the component {@code policy} is asked for. */
  private List<Parameter> all(@Nullable String component) {
    if (!"policy".equals(component)) {
      return broker.parameterAdmin().list();
    }
    List<Parameter> out = new ArrayList<>();
    for (Policy p : broker.policies().all()) {
      if (!p.operator()) {
        Map<String, Object> v = PoliciesController.json(p);
        v.keySet().removeAll(List.of("vhost", "name"));
        out.add(new Parameter(p.vhost(), "policy", p.name(), v));
      }
    }
    return out;
  }

  private Response list(Call c, Predicate<Parameter> which) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Parameter p : all(c.params().get("component"))) {
      if (which.test(p) && (c.principal().isAdministrator() || c.principal().canLogIn(p.vhost()))) {
        items.add(json(p));
      }
    }
    return ConfigReplies.list(c, items, List.of("vhost", "name"));
  }

  private @Nullable Parameter find(Call c) {
    if (broker.vhost(c.param("vhost")) == null) {
      return null;
    }
    for (Parameter p : all(c.param("component"))) {
      if (p.vhost().equals(c.param("vhost")) && p.component().equals(c.param("component"))
          && p.name().equals(c.param("name"))) {
        return p;
      }
    }
    return null;
  }

  private Parameter parameter(Call c) {
    Parameter p = find(c);
    if (p == null) {
      throw Call.notFound();
    }
    return p;
  }

  private Response put(Call c) {
    VirtualHost vh = broker.vhost(c.param("vhost"));
    if (vh == null) {
      throw ApiException.notFound("vhost_not_found");
    }
    Map<String, Object> body = c.body();
    Response missing = ConfigReplies.missing(body, "value");
    if (missing != null) {
      return missing;
    }
    boolean created = find(c) == null;
    try {
      broker.parameterAdmin().set(vh.name(), c.param("component"), c.param("name"), body.get("value"));
    } catch (ValidationError e) {
      // rabbit_mgmt_wm_parameter: {error_string, Reason} escaped for HTML
      return ConfigReplies.badRequest(PoliciesController.escapeHtml(e.getMessage()));
    }
    return ConfigReplies.put(created);
  }

  private Response delete(Call c) {
    Parameter p = parameter(c);
    broker.parameterAdmin().clear(p.vhost(), p.component(), p.name());
    return Response.noContent();
  }

  private Response globals(Call c) {
    List<Map<String, Object>> items = new ArrayList<>();
    broker.runtimeParameters().globals().forEach(g -> items.add(json(g)));
    return ConfigReplies.list(c, items, List.of("vhost", "name"));
  }

  private Global global(Call c) {
    Global g = broker.runtimeParameters().global(c.param("name"));
    if (g == null) {
      throw Call.notFound();
    }
    return g;
  }

  private Response putGlobal(Call c) {
    Map<String, Object> body = c.body();
    Response missing = ConfigReplies.missing(body, "value");
    if (missing != null) {
      return missing;
    }
    boolean created = broker.runtimeParameters().global(c.param("name")) == null;
    broker.parameterAdmin().setGlobal(c.param("name"), body.get("value"));
    return ConfigReplies.put(created);
  }

  /** rabbit_mgmt_wm_cluster_name: {"name": ...} becomes the global parameter cluster_name. */
  private Response putClusterName(Call c) {
    Map<String, Object> body = c.body();
    Response missing = ConfigReplies.missing(body, "name");
    if (missing != null) {
      return missing;
    }
    broker.parameterAdmin().setGlobal("cluster_name", String.valueOf(body.get("name")));
    return Response.noContent();
  }

  /** rabbit_mgmt_format:parameter. */
  static Map<String, Object> json(Parameter p) {
    return ConfigReplies.object("value", p.value(), "vhost", p.vhost(), "component", p.component(), "name", p.name());
  }

  static Map<String, Object> json(Global g) {
    return ConfigReplies.object("name", g.name(), "value", g.value());
  }
}
