package io.warrenmq.broker.definitions;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.queue.QueueSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The schema of definition records: one field table per change, with {@code type} naming the kind
 * of entity and {@code op} either {@code put} or {@code del}. New fields may be added; readers
 * ignore fields they do not know, so old logs stay readable.
 */
public final class Records {
  public static final String TYPE = "type";
  public static final String OP = "op";
  public static final String PUT = "put";
  public static final String DEL = "del";
  /**
   * The type prefix of the cluster module's own records (members, feature flags): kept by their
   * {@code key} field, put or deleted, and otherwise not interpreted by the broker.
   */
  public static final String CLUSTER_PREFIX = "cluster.";

  private Records() {}

  public static FieldTable vhost(String name) {
    return table("vhost", PUT, "name", name);
  }

  /**
   * A vhost with its metadata (RabbitMQ's vhost metadata map); a vhost record without these fields
   * (written before they existed) has an empty description and no tags.
   *
   * @param defaultQueueType "" when not set
   */
  public static FieldTable vhost(String name, String description, List<String> tags, String defaultQueueType) {
    Map<String, Object> m = base("vhost", PUT);
    m.put("name", name);
    m.put("description", description);
    m.put("tags", List.copyOf(tags));
    m.put("defaultQueueType", defaultQueueType);
    return FieldTable.of(m);
  }

  public static FieldTable vhostDeleted(String name) {
    return table("vhost", DEL, "name", name);
  }

  public static FieldTable user(User u) {
    Map<String, Object> m = base("user", PUT);
    m.put("name", u.name());
    m.put("hash", u.passwordHash());
    m.put("tags", List.copyOf(u.tags()));
    m.put("algorithm", u.hashing().rabbitName());
    m.put("limits", u.limits().table());
    return FieldTable.of(m);
  }

  public static FieldTable userDeleted(String name) {
    return table("user", DEL, "name", name);
  }

  public static FieldTable permission(String user, String vhost, Permission p) {
    Map<String, Object> m = base("permission", PUT);
    m.put("user", user);
    m.put("vhost", vhost);
    m.put("configure", p.configure());
    m.put("write", p.write());
    m.put("read", p.read());
    return FieldTable.of(m);
  }

  public static FieldTable permissionCleared(String user, String vhost) {
    return table("permission", DEL, "user", user, "vhost", vhost);
  }

  /** A topic permission of {@code user} in {@code vhost} on a (topic) exchange. */
  public static FieldTable topicPermission(String user, String vhost, String exchange, String write, String read) {
    Map<String, Object> m = base("topicPermission", PUT);
    m.put("user", user);
    m.put("vhost", vhost);
    m.put("exchange", exchange);
    m.put("write", write);
    m.put("read", read);
    return FieldTable.of(m);
  }

  public static FieldTable topicPermissionCleared(String user, String vhost, String exchange) {
    return table("topicPermission", DEL, "user", user, "vhost", vhost, "exchange", exchange);
  }

  /** A durable exchange; {@code dir} names the directory of a delayed exchange's messages, else "". */
  public static FieldTable exchange(ExchangeSpec x, String dir) {
    Map<String, Object> m = base("exchange", PUT);
    m.put("dir", dir);
    m.put("vhost", x.vhost());
    m.put("name", x.name());
    m.put("xtype", x.type());
    m.put("durable", x.durable());
    m.put("autoDelete", x.autoDelete());
    m.put("internal", x.internal());
    m.put("arguments", x.arguments());
    return FieldTable.of(m);
  }

  public static FieldTable exchangeDeleted(String vhost, String name) {
    return table("exchange", DEL, "vhost", vhost, "name", name);
  }

  /** A durable queue; {@code dir} names its directory of segment files. */
  public static FieldTable queue(QueueSpec q, String dir) {
    return queue(q, dir, null);
  }

  /**
   * A queue; {@code dir} names its directory of segment files ("" for a queue whose messages are
   * on another node). In a cluster every queue has a record, transient and exclusive ones too,
   * with its home {@code node}; without one the queue is this node's.
   */
  public static FieldTable queue(QueueSpec q, String dir, @Nullable String node) {
    Map<String, Object> m = base("queue", PUT);
    m.put("dir", dir);
    m.put("vhost", q.vhost());
    m.put("name", q.name());
    m.put("durable", q.durable());
    m.put("autoDelete", q.autoDelete());
    m.put("arguments", q.arguments());
    if (node != null) {
      m.put("node", node);
      m.put("exclusive", q.exclusive());
    }
    return FieldTable.of(m);
  }

  public static FieldTable queueDeleted(String vhost, String name) {
    return table("queue", DEL, "vhost", vhost, "name", name);
  }

  public static FieldTable policy(io.warrenmq.broker.policy.Policy p) {
    Map<String, Object> m = base("policy", PUT);
    m.put("vhost", p.vhost());
    m.put("name", p.name());
    m.put("pattern", p.pattern());
    m.put("applyTo", p.applyTo().label());
    m.put("priority", (long) p.priority());
    m.put("definition", p.definition());
    m.put("operator", p.operator());
    return FieldTable.of(m);
  }

  public static FieldTable policyDeleted(String vhost, String name, boolean operator) {
    Map<String, Object> m = base("policy", DEL);
    m.put("vhost", vhost);
    m.put("name", name);
    m.put("operator", operator);
    return FieldTable.of(m);
  }

  /**
   * A runtime parameter (rabbit_runtime_parameters): {@code value} is its JSON value as field
   * values (objects as tables, arrays as lists).
   */
  public static FieldTable parameter(String vhost, String component, String name, @Nullable Object value) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>(base("parameter", PUT));
    m.put("vhost", vhost);
    m.put("component", component);
    m.put("name", name);
    m.put("value", value);
    return FieldTable.of(m);
  }

  public static FieldTable parameterCleared(String vhost, String component, String name) {
    return table("parameter", DEL, "vhost", vhost, "component", component, "name", name);
  }

  /** A global runtime parameter ({@code cluster_name}, ...). */
  public static FieldTable globalParameter(String name, @Nullable Object value) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>(base("globalParameter", PUT));
    m.put("name", name);
    m.put("value", value);
    return FieldTable.of(m);
  }

  public static FieldTable globalParameterCleared(String name) {
    return table("globalParameter", DEL, "name", name);
  }

  /**
   * The last entry of the cluster's metadata log applied to this node ({@code term}, {@code
   * index}): written after the entry's own records, so that a restart applies only what follows.
   */
  public static FieldTable replicated(long term, long index) {
    Map<String, Object> m = base("replicated", PUT);
    m.put("term", term);
    m.put("index", index);
    return FieldTable.of(m);
  }

  /** A binding; {@code destKind} is "queue" or "exchange". */
  public static FieldTable binding(
      String op, String vhost, String source, String destKind, String dest, String key, FieldTable args) {
    Map<String, Object> m = base("binding", op);
    m.put("vhost", vhost);
    m.put("source", source);
    m.put("destKind", destKind);
    m.put("dest", dest);
    m.put("key", key);
    m.put("arguments", args);
    return FieldTable.of(m);
  }

  /** The exchange a record of {@link #exchange} describes (durable unless it says otherwise). */
  public static ExchangeSpec exchangeSpec(FieldTable r) {
    return new ExchangeSpec(str(r, "vhost"), str(r, "name"), str(r, "xtype"), !Boolean.FALSE.equals(r.getBoolean("durable")),
        Boolean.TRUE.equals(r.getBoolean("autoDelete")), Boolean.TRUE.equals(r.getBoolean("internal")),
        tableOf(r, "arguments"));
  }

  /** The queue a record of {@link #queue} describes (durable unless it says otherwise). */
  public static QueueSpec queueSpec(FieldTable r) {
    return new QueueSpec(str(r, "vhost"), str(r, "name"), !Boolean.FALSE.equals(r.getBoolean("durable")),
        Boolean.TRUE.equals(r.getBoolean("exclusive")), Boolean.TRUE.equals(r.getBoolean("autoDelete")),
        tableOf(r, "arguments"));
  }

  /** A record's string field, "" when absent. */
  public static String str(FieldTable r, String key) {
    String s = r.getString(key);
    return s == null ? "" : s;
  }

  private static FieldTable tableOf(FieldTable r, String key) {
    FieldTable v = r.getTable(key);
    return v == null ? FieldTable.EMPTY : v;
  }

  private static Map<String, Object> base(String type, String op) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(TYPE, type);
    m.put(OP, op);
    return m;
  }

  private static FieldTable table(String type, String op, String... kv) {
    Map<String, Object> m = base(type, op);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return FieldTable.of(m);
  }
}
