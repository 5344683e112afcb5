package io.warrenmq.management.definitions;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.Compatibility;
import io.warrenmq.broker.auth.TopicPermission;
import io.warrenmq.broker.auth.TopicPermissions;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.parameter.RuntimeParameters;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.vhost.VhostMetadata;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.broker.parameter.JsonValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import org.jspecify.annotations.Nullable;

/**
 * The broker's definitions in RabbitMQ 3.13.7's management shape (rabbit_mgmt_wm_definitions
 * all_definitions and vhost_definitions, the fields of its rw_state): {@code rabbit_version} and
 * {@code rabbitmq_version} are the RabbitMQ release WarrenMQ follows, {@code product_name} and
 * {@code product_version} WarrenMQ's. Queues exclusive to a connection, the default exchange,
 * {@code amq.*} exchanges and the bindings that cannot be recreated are left out, as there.
 */
public final class DefinitionsExport {
  /** The product named in exports (rabbit:product_name, which RabbitMQ lets a distribution set). */
  public static final String PRODUCT = "WarrenMQ";

  private DefinitionsExport() {}

  /** WarrenMQ's version, from the jar's manifest ("dev" in a build tree). */
  public static String productVersion() {
    String v = DefinitionsExport.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** GET /api/definitions. */
  public static Map<String, Object> all(Broker broker) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rabbit_version", Compatibility.RABBITMQ_VERSION);
    m.put("rabbitmq_version", Compatibility.RABBITMQ_VERSION);
    m.put("product_name", PRODUCT);
    m.put("product_version", productVersion());
    m.put("users", users(broker));
    m.put("vhosts", vhosts(broker));
    List<Object> perms = new ArrayList<>();
    for (Users.Grant g : broker.users().grants()) {
      perms.add(obj("user", g.user(), "vhost", g.vhost(), "configure", g.permission().configure(),
          "write", g.permission().write(), "read", g.permission().read()));
    }
    m.put("permissions", perms);
    List<Object> topic = new ArrayList<>();
    for (TopicPermissions.Grant g : broker.users().topicPermissions().grants()) {
      TopicPermission p = g.permission();
      topic.add(obj("user", g.user(), "vhost", g.vhost(), "exchange", p.exchange(), "write", p.write(),
          "read", p.read()));
    }
    m.put("topic_permissions", topic);
    List<Object> params = new ArrayList<>();
    for (RuntimeParameters.Parameter p : broker.parameterAdmin().list()) {
      params.add(obj("vhost", p.vhost(), "component", p.component(), "name", p.name(), "value", p.value()));
    }
    m.put("parameters", params);
    List<Object> globals = new ArrayList<>();
    broker.runtimeParameters().globals().forEach(g -> globals.add(obj("name", g.name(), "value", g.value())));
    m.put("global_parameters", globals);
    List<Object> policies = new ArrayList<>();
    for (Policy p : broker.policies().all()) {
      if (!p.operator()) {
        policies.add(policy(p, true));
      }
    }
    m.put("policies", policies);
    topology(broker, broker.vhosts(), true, m);
    return m;
  }

  /** GET /api/definitions/{vhost}: that vhost's parameters, policies, queues, exchanges and bindings, without their vhost. */
  public static Map<String, Object> vhost(Broker broker, VirtualHost vh) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rabbit_version", Compatibility.RABBITMQ_VERSION);
    List<Object> params = new ArrayList<>();
    for (RuntimeParameters.Parameter p : broker.parameterAdmin().list()) {
      if (p.vhost().equals(vh.name())) {
        params.add(obj("component", p.component(), "name", p.name(), "value", p.value()));
      }
    }
    m.put("parameters", params);
    List<Object> policies = new ArrayList<>();
    for (Policy p : broker.policies().list(vh.name(), false)) {
      policies.add(policy(p, false));
    }
    m.put("policies", policies);
    topology(broker, List.of(vh), false, m);
    return m;
  }

  private static List<Object> users(Broker broker) {
    List<Object> out = new ArrayList<>();
    for (User u : broker.users().list()) {
      out.add(obj("name", u.name(), "password_hash", u.passwordHash(), "hashing_algorithm", u.hashing().rabbitName(),
          "tags", u.tags(), "limits", u.limits().values()));
    }
    return out;
  }

  /** rabbit_vhost:info_all([name, description, tags, default_queue_type, metadata]), undefined left out. */
  private static List<Object> vhosts(Broker broker) {
    List<Object> out = new ArrayList<>();
    for (VirtualHost vh : broker.vhosts()) {
      VhostMetadata md = vh.metadata();
      Map<String, Object> v = obj("name", vh.name(), "description", md.description(), "tags", md.tags());
      Map<String, Object> meta = obj("description", md.description(), "tags", md.tags());
      if (!md.defaultQueueType().isEmpty()) {
        v.put("default_queue_type", md.defaultQueueType());
        meta.put("default_queue_type", md.defaultQueueType());
      }
      v.put("metadata", meta);
      out.add(v);
    }
    return out;
  }

  private static Map<String, Object> policy(Policy p, boolean withVhost) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (withVhost) {
      m.put("vhost", p.vhost());
    }
    m.put("name", p.name());
    m.put("pattern", p.pattern());
    m.put("apply-to", p.applyTo().label());
    m.put("definition", JsonValues.fromField(p.definition()));
    m.put("priority", p.priority());
    return m;
  }

  /** The queues, exchanges and bindings of {@code vhosts} into {@code m}. */
  private static void topology(Broker broker, List<VirtualHost> vhosts, boolean withVhost, Map<String, Object> m) {
    List<Object> queues = new ArrayList<>();
    List<Object> exchanges = new ArrayList<>();
    List<Object> bindings = new ArrayList<>();
    for (VirtualHost vh : vhosts) {
      Set<String> exported = new HashSet<>();
      for (Queue q : vh.queues()) {
        if (q.exclusiveOwner() == null) {
          exported.add(q.name());
          queues.add(vhost(queue(q.spec()), vh, withVhost, 1));
        }
      }
      for (Exchange x : vh.exchanges()) {
        if (exportable(x.name())) {
          exchanges.add(vhost(exchange(x.spec()), vh, withVhost, 1));
        }
      }
      for (Binding b : sorted(vh.bindings())) {
        boolean toQueue = b.destination().kind().equals("queue");
        if (!b.source().name().isEmpty() && (toQueue ? exported.contains(b.destination().name())
            : !b.destination().name().isEmpty())) {
          bindings.add(vhost(binding(b), vh, withVhost, 1));
        }
      }
    }
    m.put("queues", queues);
    m.put("exchanges", exchanges);
    m.put("bindings", bindings);
  }

  /** rabbit_mgmt_wm_definitions export_name: not the default exchange, nothing under amq. */
  static boolean exportable(String exchange) {
    return !exchange.isEmpty() && !exchange.startsWith("amq.");
  }

  static List<Binding> sorted(List<Binding> bindings) {
    List<Binding> l = new ArrayList<>(bindings);
    l.sort(Comparator.comparing((Binding b) -> b.source().name()).thenComparing(b -> b.destination().kind())
        .thenComparing(b -> b.destination().name()).thenComparing(Binding::routingKey));
    return l;
  }

  private static Map<String, Object> queue(QueueSpec q) {
    return obj("name", q.name(), "durable", q.durable(), "auto_delete", q.autoDelete(),
        "arguments", FieldJson.table(q.arguments()));
  }

  private static Map<String, Object> exchange(ExchangeSpec x) {
    return obj("name", x.name(), "type", x.type(), "durable", x.durable(), "auto_delete", x.autoDelete(),
        "internal", x.internal(), "arguments", FieldJson.table(x.arguments()));
  }

  private static Map<String, Object> binding(Binding b) {
    return obj("source", b.source().name(), "destination", b.destination().name(),
        "destination_type", b.destination().kind(), "routing_key", b.routingKey(),
        "arguments", FieldJson.table(b.arguments()));
  }

  /** The item with its vhost at position {@code at} (rw_state's order), or without it. */
  private static Map<String, Object> vhost(Map<String, Object> item, VirtualHost vh, boolean withVhost, int at) {
    if (!withVhost) {
      return item;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, Object> e : item.entrySet()) {
      if (i++ == at) {
        out.put("vhost", vh.name());
      }
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  static Map<String, Object> obj(@Nullable Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
