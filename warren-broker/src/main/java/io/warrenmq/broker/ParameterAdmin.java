package io.warrenmq.broker;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.limits.Limits;
import io.warrenmq.broker.parameter.JsonValues;
import io.warrenmq.broker.parameter.RuntimeParameters;
import io.warrenmq.broker.parameter.RuntimeParameters.Global;
import io.warrenmq.broker.parameter.RuntimeParameters.Parameter;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.term.ValidationError;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime parameter operations of the broker, as rabbit_runtime_parameters, rabbit_vhost_limit
 * and rabbit_policy do them: the components a broker without the federation and shovel plugins
 * has ({@code vhost-limits}; {@code operator_policy}, which are the broker's operator policies;
 * {@code policy}, which may not be set this way), their validation and texts, persistence, and
 * what a change does (vhost limits take effect at once). Global parameters are stored as given.
 *
 * <p>Threading: thread-safe; changes hold the broker's monitor, as the broker's own operations do.
 */
public final class ParameterAdmin {
  private static final Logger log = LoggerFactory.getLogger(ParameterAdmin.class);
  static final String VHOST_LIMITS = "vhost-limits";
  static final String OPERATOR_POLICY = "operator_policy";
  /** The name of the vhost-limits parameter that holds a vhost's limits. */
  static final String LIMITS = "limits";
  private static final String CLUSTER_ID = "internal_cluster_id";

  private final Broker broker;
  private final RuntimeParameters parameters;

  ParameterAdmin(Broker broker, RuntimeParameters parameters) {
    this.broker = broker;
    this.parameters = parameters;
  }

  /** rabbit_runtime_parameters:set: validates, stores and applies; 404 for an unknown vhost. */
  public void set(String vhost, String component, String name, @Nullable Object value) {
    synchronized (broker) {
      doSet(vhost, component, name, value);
    }
  }

  /** rabbit_runtime_parameters:clear: "Parameter does not exist" when there is none. */
  public void clear(String vhost, String component, String name) {
    synchronized (broker) {
      doClear(vhost, component, name);
    }
  }

  /** set_vhost_limits: the vhost's whole vhost-limits parameter (a JSON object). */
  public void setVhostLimits(String vhost, @Nullable Object limits) {
    set(vhost, VHOST_LIMITS, LIMITS, limits);
  }

  /** clear_vhost_limits: "Parameter does not exist" if the vhost has none. */
  public void clearVhostLimits(String vhost) {
    clear(vhost, VHOST_LIMITS, LIMITS);
  }

  /** One vhost limit set, the others kept (the management API's /api/vhost-limits/{vhost}/{name}). */
  public void updateVhostLimit(String vhost, String limit, @Nullable Object value) {
    synchronized (broker) {
      doUpdateVhostLimit(vhost, limit, value);
    }
  }

  /** One vhost limit cleared, the others kept. */
  public void clearVhostLimit(String vhost, String limit) {
    synchronized (broker) {
      doClearVhostLimit(vhost, limit);
    }
  }

  public void setGlobal(String name, @Nullable Object value) {
    synchronized (broker) {
      doSetGlobal(name, value);
    }
  }

  public void clearGlobal(String name) {
    synchronized (broker) {
      doClearGlobal(name);
    }
  }

  /**
   * The cluster's name: the global parameter cluster_name, else the configured one of a cluster
   * node, else the node's name (rabbit_nodes).
   */
  public String clusterName() {
    Global g = parameters.global("cluster_name");
    if (g != null && g.value() != null) {
      return g.value().toString();
    }
    var cluster = broker.clusterView();
    return cluster != null ? cluster.clusterName() : broker.pids().node();
  }

  /** RabbitMQ keeps a random cluster id as a global parameter (rabbit_nodes persistent_cluster_id). */
  void ensureClusterId() {
    if (parameters.global(CLUSTER_ID) == null) {
      byte[] id = new byte[16];
      new java.security.SecureRandom().nextBytes(id);
      setGlobal(CLUSTER_ID, "rabbitmq-cluster-id-" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(id));
    }
  }

  /** rabbit_runtime_parameters:set: validates, stores and applies; 404 for an unknown vhost. */
  private void doSet(String vhost, String component, String name, @Nullable Object value) {
    requireVhost(vhost);
    Object v = JsonValues.canonical(value);
    switch (component) {
      case "policy" -> throw ValidationError.text("policies may not be set using this method");
      case OPERATOR_POLICY -> broker.setPolicy(operatorPolicy(vhost, name, v));
      case VHOST_LIMITS -> {
        List<String> errors = Limits.errors(name, Limits.VHOST_KEYS, v);
        if (!errors.isEmpty()) {
          throw validationFailed(errors);
        }
        broker.commit(Records.parameter(vhost, component, name, v));
      }
      default -> throw validationFailed(List.of("component " + component + " not found"));
    }
  }

  private static Policy operatorPolicy(String vhost, String name, @Nullable Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      throw validationFailed(List.of(name + " not a list " + io.warrenmq.broker.term.ErlangTerm.ofJson(v).print()));
    }
    return Policy.parse(vhost, name, m.get("pattern"), m.get("definition"), m.get("priority"), m.get("apply-to"), true);
  }

  /** rabbit_runtime_parameters:clear: "Parameter does not exist" when there is none. */
  private void doClear(String vhost, String component, String name) {
    switch (component) {
      case "policy" -> throw ValidationError.text("policies may not be cleared using this method");
      case OPERATOR_POLICY -> {
        if (broker.policies().list(vhost, true).stream().noneMatch(p -> p.name().equals(name))) {
          throw notExists();
        }
        broker.clearPolicy(vhost, name, true);
      }
      default -> {
        if (parameters.get(vhost, component, name) == null) {
          throw notExists();
        }
        broker.commit(Records.parameterCleared(vhost, component, name));
      }
    }
  }

  /** Every parameter but policies, operator policies as the operator_policy component. */
  public List<Parameter> list() {
    List<Parameter> out = new ArrayList<>(parameters.list());
    for (Policy p : broker.policies().all()) {
      if (p.operator()) {
        out.add(new Parameter(p.vhost(), OPERATOR_POLICY, p.name(), policyValue(p)));
      }
    }
    out.sort(java.util.Comparator.comparing(Parameter::vhost).thenComparing(Parameter::component)
        .thenComparing(Parameter::name));
    return out;
  }

  /** An operator policy as its parameter value (rabbit_policy set: pattern, definition, priority, apply-to). */
  static Map<String, @Nullable Object> policyValue(Policy p) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("pattern", p.pattern());
    m.put("definition", JsonValues.fromField(p.definition()));
    m.put("priority", (long) p.priority());
    m.put("apply-to", p.applyTo().label());
    return m;
  }

  /**
   * rabbit_vhost_limit:update_limit: sets one limit, keeping the others ({@code value} a JSON
   * value, checked as the whole vhost-limits parameter).
   */
  private void doUpdateVhostLimit(String vhost, String limit, @Nullable Object value) {
    Map<String, @Nullable Object> def = new LinkedHashMap<>();
    def.put(limit, value);
    Parameter old = parameters.get(vhost, VHOST_LIMITS, LIMITS);
    if (old != null && old.value() instanceof Map<?, ?> m) {
      m.forEach((k, v) -> def.putIfAbsent(String.valueOf(k), v));
    }
    doSet(vhost, VHOST_LIMITS, LIMITS, def);
  }

  /** rabbit_vhost_limit:clear_limit: drops one limit, keeping the others (no error if unset). */
  private void doClearVhostLimit(String vhost, String limit) {
    requireVhost(vhost);
    Map<String, @Nullable Object> def = new LinkedHashMap<>();
    Parameter old = parameters.get(vhost, VHOST_LIMITS, LIMITS);
    if (old != null && old.value() instanceof Map<?, ?> m) {
      m.forEach((k, v) -> def.put(String.valueOf(k), v));
    }
    def.remove(limit);
    doSet(vhost, VHOST_LIMITS, LIMITS, def);
  }

  /** rabbit_runtime_parameters:set_global: any value, no validation. */
  private void doSetGlobal(String name, @Nullable Object value) {
    broker.commit(Records.globalParameter(name, JsonValues.canonical(value)));
  }

  /** rabbit_runtime_parameters:clear_global: "Parameter does not exist" when there is none. */
  private void doClearGlobal(String name) {
    if (parameters.global(name) == null) {
      throw notExists();
    }
    broker.commit(Records.globalParameterCleared(name));
  }

  private VirtualHost requireVhost(String vhost) {
    VirtualHost vh = broker.vhost(vhost);
    if (vh == null) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no vhost '%s'", vhost);
    }
    return vh;
  }

  private static ValidationError notExists() {
    return ValidationError.text("Parameter does not exist");
  }

  /** rabbit_runtime_parameters format_error: "Validation failed\n\n" and one line per error. */
  static ValidationError validationFailed(List<String> errors) {
    return ValidationError.text("Validation failed\n\n" + String.join("\n", errors) + "\n");
  }
}
