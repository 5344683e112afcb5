package io.warrenmq.broker.definitions;

import io.warrenmq.amqp.types.FieldTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state the definitions log describes, rebuilt by replaying its records in order. Deleting a
 * vhost removes everything in it; deleting a queue or exchange removes the bindings to and from
 * it. Used once at boot (not thread-safe).
 */
public final class DefinitionModel {
  /** name -> its latest record (with its metadata). */
  private final Map<String, FieldTable> vhosts = new LinkedHashMap<>();
  private final Map<String, FieldTable> users = new LinkedHashMap<>();
  private final Map<List<String>, FieldTable> permissions = new LinkedHashMap<>();
  /** (user, vhost, exchange) -> record. */
  private final Map<List<String>, FieldTable> topicPermissions = new LinkedHashMap<>();
  private final Map<List<String>, FieldTable> exchanges = new LinkedHashMap<>();
  private final Map<List<String>, FieldTable> queues = new LinkedHashMap<>();
  private final Map<List<Object>, FieldTable> bindings = new LinkedHashMap<>();
  private final Map<List<Object>, FieldTable> policies = new LinkedHashMap<>();
  /** (vhost, component, name) -> record. */
  private final Map<List<String>, FieldTable> parameters = new LinkedHashMap<>();
  private final Map<String, FieldTable> globalParameters = new LinkedHashMap<>();
  /** A cluster node's own records (type "cluster.*"), by type and their "key" field. */
  private final Map<List<String>, FieldTable> cluster = new LinkedHashMap<>();
  /** The last metadata-log entry applied (a cluster node's), or null. */
  private FieldTable replicated = null;

  /** Replays {@code records}; records of unknown type are ignored (a newer writer's). */
  public static DefinitionModel replay(List<FieldTable> records) {
    DefinitionModel m = new DefinitionModel();
    records.forEach(m::apply);
    return m;
  }

  public void apply(FieldTable r) {
    String type = str(r, Records.TYPE);
    boolean put = Records.PUT.equals(str(r, Records.OP));
    switch (type) {
      case "vhost" -> {
        String name = str(r, "name");
        if (put) {
          vhosts.put(name, r);
        } else {
          vhosts.remove(name);
          parameters.keySet().removeIf(k -> k.get(0).equals(name));
          permissions.keySet().removeIf(k -> k.get(1).equals(name));
          topicPermissions.keySet().removeIf(k -> k.get(1).equals(name));
          exchanges.keySet().removeIf(k -> k.get(0).equals(name));
          queues.keySet().removeIf(k -> k.get(0).equals(name));
          bindings.keySet().removeIf(k -> k.get(0).equals(name));
          policies.keySet().removeIf(k -> k.get(0).equals(name));
        }
      }
      case "user" -> {
        String name = str(r, "name");
        if (put) {
          users.put(name, r);
        } else {
          users.remove(name);
          permissions.keySet().removeIf(k -> k.get(0).equals(name));
          topicPermissions.keySet().removeIf(k -> k.get(0).equals(name));
        }
      }
      case "permission" -> {
        List<String> key = List.of(str(r, "user"), str(r, "vhost"));
        if (put) {
          permissions.put(key, r);
        } else {
          permissions.remove(key);
        }
      }
      case "topicPermission" -> {
        List<String> key = List.of(str(r, "user"), str(r, "vhost"), str(r, "exchange"));
        if (put) {
          topicPermissions.put(key, r);
        } else {
          topicPermissions.remove(key);
        }
      }
      case "exchange" -> {
        String vhost = str(r, "vhost");
        String name = str(r, "name");
        if (put) {
          exchanges.put(List.of(vhost, name), r);
        } else {
          exchanges.remove(List.of(vhost, name));
          bindings.keySet().removeIf(k -> k.get(0).equals(vhost)
              && (k.get(1).equals(name) || (k.get(2).equals("exchange") && k.get(3).equals(name))));
        }
      }
      case "queue" -> {
        String vhost = str(r, "vhost");
        String name = str(r, "name");
        if (put) {
          queues.put(List.of(vhost, name), r);
        } else {
          queues.remove(List.of(vhost, name));
          bindings.keySet().removeIf(k -> k.get(0).equals(vhost)
              && k.get(2).equals("queue") && k.get(3).equals(name));
        }
      }
      case "policy" -> {
        List<Object> key = List.of(str(r, "vhost"), str(r, "name"), Boolean.TRUE.equals(r.getBoolean("operator")));
        if (put) {
          policies.put(key, r);
        } else {
          policies.remove(key);
        }
      }
      case "parameter" -> {
        List<String> key = List.of(str(r, "vhost"), str(r, "component"), str(r, "name"));
        if (put) {
          parameters.put(key, r);
        } else {
          parameters.remove(key);
        }
      }
      case "globalParameter" -> {
        if (put) {
          globalParameters.put(str(r, "name"), r);
        } else {
          globalParameters.remove(str(r, "name"));
        }
      }
      case "binding" -> {
        FieldTable args = r.getTable("arguments");
        List<Object> key =
            List.of(str(r, "vhost"), str(r, "source"), str(r, "destKind"), str(r, "dest"),
                str(r, "key"), args == null ? FieldTable.EMPTY : args);
        if (put) {
          bindings.put(key, r);
        } else {
          bindings.remove(key);
        }
      }
      case "replicated" -> replicated = r;
      default -> {
        if (type.startsWith(Records.CLUSTER_PREFIX)) {
          List<String> key = List.of(type, str(r, "key"));
          if (put) {
            cluster.put(key, r);
          } else {
            cluster.remove(key);
          }
        }
        // a record type this version does not know: kept out of the model
      }
    }
  }

  private static String str(FieldTable r, String key) {
    String s = r.getString(key);
    return s == null ? "" : s;
  }

  /** The cluster's own records (members, feature flags), as the cluster module wrote them. */
  public List<FieldTable> clusterRecords() {
    return List.copyOf(cluster.values());
  }

  /** The index of the last metadata-log entry applied to this node, 0 if none. */
  public long replicatedIndex() {
    Long i = replicated == null ? null : replicated.getLong("index");
    return i == null ? 0 : i;
  }

  /** The vhosts' names, in the order they were first created. */
  public Set<String> vhosts() {
    return vhosts.keySet();
  }

  /** The vhosts' records (name and metadata). */
  public List<FieldTable> vhostRecords() {
    return List.copyOf(vhosts.values());
  }

  public List<FieldTable> parameters() {
    return List.copyOf(parameters.values());
  }

  public List<FieldTable> globalParameters() {
    return List.copyOf(globalParameters.values());
  }

  public List<FieldTable> users() {
    return List.copyOf(users.values());
  }

  public List<FieldTable> permissions() {
    return List.copyOf(permissions.values());
  }

  public List<FieldTable> topicPermissions() {
    return List.copyOf(topicPermissions.values());
  }

  public List<FieldTable> exchanges() {
    return List.copyOf(exchanges.values());
  }

  public List<FieldTable> queues() {
    return List.copyOf(queues.values());
  }

  public List<FieldTable> bindings() {
    return List.copyOf(bindings.values());
  }

  public List<FieldTable> policies() {
    return List.copyOf(policies.values());
  }

  /** The records that recreate this state, for compaction: vhosts, users, ..., bindings last. */
  public List<FieldTable> snapshot() {
    List<FieldTable> out = new ArrayList<>();
    out.addAll(vhosts.values());
    out.addAll(users.values());
    out.addAll(permissions.values());
    out.addAll(topicPermissions.values());
    out.addAll(policies.values());
    out.addAll(parameters.values());
    out.addAll(globalParameters.values());
    out.addAll(exchanges.values());
    out.addAll(queues.values());
    out.addAll(bindings.values());
    out.addAll(cluster.values());
    if (replicated != null) {
      out.add(replicated);
    }
    return out;
  }
}
