package io.warrenmq.management.definitions;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.auth.UserUpdate;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.term.ErlangTerm;
import io.warrenmq.broker.term.ValidationError;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports RabbitMQ definitions through the broker's operations, as RabbitMQ 3.13.7's
 * rabbit_definitions:apply_defs does: users, vhosts, the max-queues check, permissions, topic
 * permissions, exchanges, global parameters, policies, parameters, queues, bindings (a vhost's
 * import: the max-queues check, exchanges, parameters, policies, queues, bindings, all in that
 * vhost). Existing queues and exchanges are left as they are, the rest is set again, so an import
 * can be repeated. In the categories RabbitMQ imports concurrently every item is tried and the
 * first error reported after; policies and parameters stop at the first error. What was imported
 * before an error stays. Errors carry rabbit_definitions:format's texts.
 */
public final class DefinitionsImport {
  private static final Logger log = LoggerFactory.getLogger(DefinitionsImport.class);
  /** The "connection" queues are declared for: none is exclusive. */
  private static final Object IMPORTER = new Object();

  /** An import that stopped; {@link #getMessage()} is RabbitMQ's reason. */
  public static final class ImportFailed extends RuntimeException {
    public ImportFailed(String reason) {
      super(reason, null, false, false);
    }
  }

  private final Broker broker;
  private final @Nullable String actingUser;

  /** @param actingUser the user importing (new vhosts grant it full permissions); null at boot and from warrenctl */
  public DefinitionsImport(Broker broker, @Nullable String actingUser) {
    this.broker = broker;
    this.actingUser = actingUser;
  }

  /** A whole broker's definitions. */
  public void apply(Map<String, Object> defs) {
    for (String kind : List.of("queues", "exchanges", "bindings")) {
      for (Map<String, Object> item : items(defs, kind)) {
        if (!item.containsKey("vhost")) {
          // a vhost's export cannot be imported whole (rabbit_definitions any_orphaned_in_doc)
          throw new ImportFailed("invalid_definitions_file");
        }
      }
    }
    Object v = defs.containsKey("rabbitmq_version") ? defs.get("rabbitmq_version") : defs.get("rabbit_version");
    String version = v == null ? null : v.toString();
    concurrent(defs, "users", u -> broker.userAdmin().put(UserUpdate.of(str(u, "name"), u), version));
    concurrent(defs, "vhosts", this::vhost);
    QueueLimits.check(broker, items(defs, "queues"), null);
    concurrent(defs, "permissions", this::permission);
    concurrent(defs, "topic_permissions", this::topicPermission);
    concurrent(defs, "exchanges", x -> exchange(str(x, "vhost"), x));
    sequential(defs, "global_parameters", g -> broker.parameterAdmin().setGlobal(str(g, "name"), g.get("value")));
    sequential(defs, "policies", p -> policy(str(p, "vhost"), p));
    sequential(defs, "parameters", p -> parameter(str(p, "vhost"), p));
    concurrent(defs, "queues", q -> queue(str(q, "vhost"), q));
    concurrent(defs, "bindings", b -> binding(str(b, "vhost"), b));
  }

  /** One vhost's definitions (their vhost fields are ignored). */
  public void apply(Map<String, Object> defs, String vhost) {
    QueueLimits.check(broker, items(defs, "queues"), vhost);
    concurrent(defs, "exchanges", x -> exchange(vhost, x));
    sequential(defs, "parameters", p -> parameter(vhost, p));
    sequential(defs, "policies", p -> policy(vhost, p));
    concurrent(defs, "queues", q -> queue(vhost, q));
    concurrent(defs, "bindings", b -> binding(vhost, b));
  }

  private void vhost(Map<String, Object> v) {
    Map<?, ?> meta = v.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
    Object description = v.containsKey("description") ? v.get("description") : meta.get("description");
    Object tags = v.containsKey("tags") ? v.get("tags") : meta.get("tags");
    Object dqt = meta.get("default_queue_type");
    Object tracing = v.get("tracing");
    broker.putVhost(str(v, "name"), description == null ? "" : description.toString(),
        tags == null ? List.of() : UserUpdate.tagList(tags), dqt == null ? null : dqt.toString(),
        tracing instanceof Boolean b ? b : null, actingUser);
  }

  private void permission(Map<String, Object> p) {
    String user = requireUser(str(p, "user"));
    String vhost = requireVhost(str(p, "vhost")).name();
    broker.setPermission(user, vhost, new Permission(str(p, "configure"), str(p, "write"), str(p, "read")));
  }

  private void topicPermission(Map<String, Object> p) {
    String user = requireUser(str(p, "user"));
    String vhost = requireVhost(str(p, "vhost")).name();
    broker.setTopicPermission(user, vhost, str(p, "exchange"), str(p, "write"), str(p, "read"));
  }

  private void exchange(String vhost, Map<String, Object> x) {
    String name = str(x, "name");
    if (name.isEmpty() || name.startsWith("amq.")) {
      log.warn("Skipping import of exchange '{}' (the default exchange or an amq. name)", name);
      return;
    }
    VirtualHost vh = requireVhost(vhost);
    if (vh.exchange(name) != null) {
      return;
    }
    VirtualHost.checkExchangeType(str(x, "type"));
    vh.declareExchange(new ExchangeSpec(vh.name(), name, str(x, "type"), bool(x, "durable", false),
        bool(x, "auto_delete", false), bool(x, "internal", false), FieldJson.arguments(x.get("arguments"))));
  }

  private void policy(String vhost, Map<String, Object> p) {
    if (p.get("name") == null) {
      throw new ImportFailed(ErlangTerm.bin("policy in virtual host '" + vhost + "' has undefined name").print());
    }
    requireVhost(vhost);
    Object applyTo = p.containsKey("apply-to") ? p.get("apply-to") : "all";
    try {
      broker.setPolicy(Policy.parse(vhost, str(p, "name"), p.get("pattern"), p.get("definition"), p.get("priority"),
          applyTo, false));
    } catch (ValidationError e) {
      throw exited(e.getMessage() + " (" + vhost + "/" + str(p, "name") + ")");
    }
  }

  private void parameter(String vhost, Map<String, Object> p) {
    requireVhost(vhost);
    try {
      broker.parameterAdmin().set(vhost, str(p, "component"), str(p, "name"), pairsToObject(p.get("value")));
    } catch (ValidationError e) {
      throw exited(e.getMessage() + " (" + vhost + "/" + str(p, "component") + "/" + str(p, "name") + ")");
    }
  }

  /**
   * rabbitmqctl export_definitions writes an operator policy's definition as the list of
   * [key, value] pairs RabbitMQ stores (and cannot import again: "definition must be a
   * dictionary"); here such a list is read as the object it stands for.
   */
  static @Nullable Object pairsToObject(@Nullable Object value) {
    if (value instanceof Map<?, ?> m && m.get("definition") instanceof List<?> pairs
        && pairs.stream().allMatch(x -> x instanceof List<?> l && l.size() == 2)) {
      Map<String, Object> def = new java.util.LinkedHashMap<>();
      pairs.forEach(x -> def.put(String.valueOf(((List<?>) x).get(0)), ((List<?>) x).get(1)));
      Map<String, Object> copy = new java.util.LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), v));
      copy.put("definition", def);
      return copy;
    }
    return value;
  }

  private void queue(String vhost, Map<String, Object> q) {
    String name = str(q, "name");
    if (name.startsWith("amq.")) {
      log.warn("Skipping import of a queue whose name begins with 'amq.', name: {}", name);
      return;
    }
    VirtualHost vh = requireVhost(vhost);
    if (vh.queue(name) != null) {
      return;
    }
    vh.declareQueue(new QueueSpec(vh.name(), name, bool(q, "durable", true), false, bool(q, "auto_delete", false),
        FieldJson.arguments(q.get("arguments"))), false, IMPORTER);
  }

  private void binding(String vhost, Map<String, Object> b) {
    VirtualHost vh = requireVhost(vhost);
    String source = str(b, "source");
    String dest = str(b, "destination");
    if (str(b, "destination_type").equals("exchange")) {
      vh.bindExchange(dest, source, str(b, "routing_key"), FieldJson.arguments(b.get("arguments")));
    } else {
      vh.bindQueue(dest, source, str(b, "routing_key"), FieldJson.arguments(b.get("arguments")), IMPORTER);
    }
  }

  private VirtualHost requireVhost(String name) {
    VirtualHost vh = broker.vhost(name);
    if (vh == null) {
      throw new ImportFailed(name.isEmpty() ? "Virtual host does not exist and is not specified in definitions file."
          : "Please create virtual host \"" + name + "\" prior to importing definitions.");
    }
    return vh;
  }

  private String requireUser(String name) {
    if (broker.users().get(name) == null) {
      throw new ImportFailed(ErlangTerm.tuple(ErlangTerm.atom("no_such_user"), ErlangTerm.bin(name)).print());
    }
    return name;
  }

  /** An {@code exit(Binary)} of rabbit_definitions, as its format prints it: the binary's {@code ~tp}. */
  private static ImportFailed exited(String text) {
    String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return new ImportFailed(ErlangTerm.bin(escaped).print());
  }

  /** rabbit_definitions:format of an error the broker threw. */
  static ImportFailed failure(RuntimeException e) {
    return switch (e) {
      case ImportFailed f -> f;
      case AmqpException a -> new ImportFailed(a.replyCode().name().toLowerCase(java.util.Locale.ROOT) + ": " + a.detail());
      case ValidationError v -> new ImportFailed(v.reason() instanceof ErlangTerm.Chars c ? c.text() : v.reason().print());
      default -> new ImportFailed(e.getMessage() == null ? e.toString() : e.getMessage());
    };
  }

  /** Every item is tried; the first failure is thrown after the last (do_concurrent_for_all). */
  private static void concurrent(Map<String, Object> defs, String kind, Consumer<Map<String, Object>> each) {
    ImportFailed first = null;
    for (Map<String, Object> item : items(defs, kind)) {
      try {
        each.accept(item);
      } catch (RuntimeException e) {
        if (first == null) {
          first = failure(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static void sequential(Map<String, Object> defs, String kind, Consumer<Map<String, Object>> each) {
    for (Map<String, Object> item : items(defs, kind)) {
      try {
        each.accept(item);
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }
  }

  /** A definitions document as a JSON object; an empty one for a blank document; null if it is not a JSON object. */
  public static @Nullable Map<String, Object> parse(byte[] body) {
    if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return new java.util.LinkedHashMap<>();
    }
    try {
      Object v = io.warrenmq.management.http.Json.mapper().readValue(body, Object.class);
      if (v instanceof Map<?, ?> m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), x));
        return out;
      }
      return null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> items(Map<String, Object> defs, String kind) {
    if (!(defs.get(kind) instanceof List<?> l)) {
      return List.of();
    }
    return l.stream().filter(x -> x instanceof Map<?, ?>).map(x -> {
      Map<String, Object> m = new HashMap<>();
      ((Map<?, ?>) x).forEach((k, y) -> m.put(String.valueOf(k), y));
      return m;
    }).toList();
  }

  static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? "" : v.toString();
  }

  private static boolean bool(Map<String, Object> m, String key, boolean absent) {
    Object v = m.get(key);
    return v == null ? absent : Boolean.TRUE.equals(v) || "true".equals(v);
  }
}
