package io.warrenmq.management.definitions;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.Compatibility;
import io.warrenmq.broker.auth.TopicPermissions;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.parameter.JsonValues;
import io.warrenmq.broker.parameter.RuntimeParameters;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The definitions as rabbitmqctl export_definitions writes them (rabbit_definitions:all_definitions,
 * encoded by rabbitmqctl's JSON library: every object's keys sorted): vhosts with their
 * {@code limits} (as the list of pairs RabbitMQ keeps them in) and {@code metadata}, queues with
 * their {@code type}, exchanges without {@code internal} and without the internal ones, global
 * parameters without the {@code internal*} ones, operator policies' definitions as pairs; no
 * product fields. Bindings to queues that are not exported (exclusive ones) are left out, so the
 * file imports anywhere.
 */
public final class CtlExport {
  private CtlExport() {}

  public static Map<String, Object> all(Broker broker) {
    Map<String, Object> m = new TreeMap<>();
    m.put("rabbit_version", Compatibility.RABBITMQ_VERSION);
    m.put("rabbitmq_version", Compatibility.RABBITMQ_VERSION);
    List<Object> users = new ArrayList<>();
    for (User u : broker.users().list()) {
      users.add(obj("name", u.name(), "password_hash", u.passwordHash(), "hashing_algorithm",
          u.hashing().rabbitName(), "tags", u.tags(), "limits", u.limits().values()));
    }
    m.put("users", users);
    List<Object> vhosts = new ArrayList<>();
    for (VirtualHost vh : broker.vhosts()) {
      Map<String, Object> meta = obj("description", vh.metadata().description(), "tags", vh.metadata().tags());
      if (!vh.metadata().defaultQueueType().isEmpty()) {
        meta.put("default_queue_type", vh.metadata().defaultQueueType());
      }
      List<Object> limits = new ArrayList<>();
      vh.limits().values().forEach((k, v) -> limits.add(List.of(k, v)));
      vhosts.add(obj("name", vh.name(), "limits", limits, "metadata", meta));
    }
    m.put("vhosts", vhosts);
    List<Object> perms = new ArrayList<>();
    for (Users.Grant g : broker.users().grants()) {
      perms.add(obj("user", g.user(), "vhost", g.vhost(), "configure", g.permission().configure(),
          "write", g.permission().write(), "read", g.permission().read()));
    }
    m.put("permissions", perms);
    List<Object> topic = new ArrayList<>();
    for (TopicPermissions.Grant g : broker.users().topicPermissions().grants()) {
      topic.add(obj("user", g.user(), "vhost", g.vhost(), "exchange", g.permission().exchange(),
          "write", g.permission().write(), "read", g.permission().read()));
    }
    m.put("topic_permissions", topic);
    m.put("parameters", parameters(broker));
    List<Object> globals = new ArrayList<>();
    for (RuntimeParameters.Global g : broker.runtimeParameters().globals()) {
      if (!g.name().startsWith("internal")) {
        globals.add(obj("name", g.name(), "value", sortedValue(g.value())));
      }
    }
    m.put("global_parameters", globals);
    List<Object> policies = new ArrayList<>();
    for (Policy p : broker.policies().all()) {
      if (!p.operator()) {
        policies.add(obj("vhost", p.vhost(), "name", p.name(), "pattern", p.pattern(), "apply-to",
            p.applyTo().label(), "priority", p.priority(), "definition", sortedValue(JsonValues.fromField(p.definition()))));
      }
    }
    m.put("policies", policies);
    topology(broker, m);
    return m;
  }

  private static List<Object> parameters(Broker broker) {
    List<Object> out = new ArrayList<>();
    for (RuntimeParameters.Parameter p : broker.parameterAdmin().list()) {
      Object value = sortedValue(p.value());
      if (p.component().equals("operator_policy") && value instanceof Map<?, ?> v
          && v.get("definition") instanceof Map<?, ?> def) {
        // the stored proplist of the definition: a list of [key, value] pairs
        Map<String, Object> copy = new TreeMap<>();
        v.forEach((k, x) -> copy.put(String.valueOf(k), x));
        List<Object> pairs = new ArrayList<>();
        def.forEach((k, x) -> pairs.add(List.of(k, x)));
        copy.put("definition", pairs);
        value = copy;
      }
      out.add(obj("vhost", p.vhost(), "component", p.component(), "name", p.name(), "value", value));
    }
    return out;
  }

  private static void topology(Broker broker, Map<String, Object> m) {
    List<Object> queues = new ArrayList<>();
    List<Object> exchanges = new ArrayList<>();
    List<Object> bindings = new ArrayList<>();
    for (VirtualHost vh : broker.vhosts()) {
      Set<String> exported = new HashSet<>();
      for (Queue q : vh.queues()) {
        if (q.exclusiveOwner() == null) {
          exported.add(q.name());
          String declared = q.spec().arguments().getString("x-queue-type");
          queues.add(obj("vhost", vh.name(), "name", q.name(), "type", declared == null ? "classic" : declared,
              "durable", q.spec().durable(),
              "auto_delete", q.spec().autoDelete(), "arguments", sortedValue(FieldJson.table(q.spec().arguments()))));
        }
      }
      for (Exchange x : vh.exchanges()) {
        if (DefinitionsExport.exportable(x.name()) && !x.spec().internal()) {
          exchanges.add(obj("vhost", vh.name(), "name", x.name(), "type", x.type(), "durable", x.spec().durable(),
              "auto_delete", x.spec().autoDelete(), "arguments", sortedValue(FieldJson.table(x.spec().arguments()))));
        }
      }
      for (Binding b : DefinitionsExport.sorted(vh.bindings())) {
        boolean toQueue = b.destination().kind().equals("queue");
        if (!b.source().name().isEmpty() && (!toQueue || exported.contains(b.destination().name()))) {
          bindings.add(obj("vhost", vh.name(), "source", b.source().name(), "destination", b.destination().name(),
              "destination_type", b.destination().kind(), "routing_key", b.routingKey(),
              "arguments", sortedValue(FieldJson.table(b.arguments()))));
        }
      }
    }
    m.put("queues", queues);
    m.put("exchanges", exchanges);
    m.put("bindings", bindings);
  }

  /** A JSON value with every object's keys sorted. */
  static @Nullable Object sortedValue(@Nullable Object v) {
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, x) -> out.put(String.valueOf(k), sortedValue(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(sortedValue(x)));
      return out;
    }
    return v;
  }

  private static Map<String, Object> obj(@Nullable Object... kv) {
    Map<String, Object> m = new TreeMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put((String) kv[i], sortedValue(kv[i + 1]));
    }
    return m;
  }
}
