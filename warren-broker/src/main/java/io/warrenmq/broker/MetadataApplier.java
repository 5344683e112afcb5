package io.warrenmq.broker;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.auth.PasswordHash;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.auth.TopicPermission;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.limits.Limits;
import io.warrenmq.broker.parameter.JsonValues;
import io.warrenmq.broker.parameter.RuntimeParameters;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.term.ValidationError;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one change of the access metadata (vhosts, users, permissions, topic permissions,
 * policies, runtime and global parameters), given as its definitions record: the checks that depend
 * on the current state (the user exists, the vhost does not yet), the record written to the
 * definitions log, the in-memory change and what it sets off (a deleted user's connections closed,
 * a policy applied to the vhost's queues).
 *
 * <p>Every change of that metadata goes through here: at once on a single node, and on every node
 * in the same order when the metadata is replicated ({@link MetadataChanges}). Validation that
 * depends on nothing but the request is done before, by the operation that built the record. A
 * failed check throws and changes nothing, on every node alike.
 *
 * <p>Threading: on a single node under the broker's monitor; in a cluster on the one thread that
 * applies the metadata log, the only one that changes this metadata.
 */
final class MetadataApplier {
  private static final Logger log = LoggerFactory.getLogger(MetadataApplier.class);
  /** A record field asking that the entity not exist yet (add_vhost, add_user); not a record's own field. */
  static final String IF_ABSENT = "ifAbsent";

  private final Broker broker;

  MetadataApplier(Broker broker) {
    this.broker = broker;
  }

  void apply(FieldTable r) {
    boolean put = Records.PUT.equals(r.getString(Records.OP));
    String type = str(r, Records.TYPE);
    switch (type) {
      case "vhost" -> {
        if (put) {
          putVhost(r);
        } else {
          removeVhost(r);
        }
      }
      case "user" -> {
        if (put) {
          putUser(r);
        } else {
          String name = str(r, "name");
          requireUser(name);
          write(r);
          broker.users().remove(name);
          broker.connections().closeUser(name);
        }
      }
      case "permission" -> permission(r, put);
      case "topicPermission" -> topicPermission(r, put);
      case "policy" -> policy(r, put);
      case "parameter" -> parameter(r, put);
      case "globalParameter" -> {
        String name = str(r, "name");
        if (put) {
          write(r);
          broker.runtimeParameters().putGlobal(new RuntimeParameters.Global(name, JsonValues.fromField(r.get("value"))));
        } else {
          if (broker.runtimeParameters().removeGlobal(name) == null) {
            throw ValidationError.text("Parameter does not exist");
          }
          write(r);
        }
      }
      case "exchange", "queue", "binding" -> requireVhost(str(r, "vhost")).clustering().apply(r);
      default -> throw new IllegalArgumentException("not a metadata record: " + type);
    }
  }

  private void putVhost(FieldTable r) {
    String name = str(r, "name");
    VirtualHost vh = broker.vhost(name);
    if (vh != null && Boolean.TRUE.equals(r.getBoolean(IF_ABSENT))) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "vhost '%s' already exists", name);
    }
    write(r);
    if (vh == null) {
      broker.createVhost(name, BrokerVhosts.metadata(r));
      log.info("added vhost '{}'", name);
    } else {
      vh.setMetadata(BrokerVhosts.metadata(r));
    }
  }

  /** The vhost goes with everything in it; its clients are disconnected first. */
  private void removeVhost(FieldTable r) {
    String name = str(r, "name");
    VirtualHost vh = requireVhost(name);
    write(r);
    broker.removeVhost(vh);
    log.info("deleted vhost '{}'", name);
  }

  private void putUser(FieldTable r) {
    String name = str(r, "name");
    if (Boolean.TRUE.equals(r.getBoolean(IF_ABSENT)) && broker.users().get(name) != null) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "user '%s' already exists", name);
    }
    write(r);
    broker.users().put(userOf(r));
  }

  private void permission(FieldTable r, boolean put) {
    String user = str(r, "user");
    String vhost = str(r, "vhost");
    if (put) {
      requireUser(user);
      requireVhost(vhost);
      write(r);
      broker.users().setPermission(user, vhost, permissionOf(r));
    } else if (broker.users().clearPermission(user, vhost)) {
      write(r);
    }
  }

  private void topicPermission(FieldTable r, boolean put) {
    String user = str(r, "user");
    String vhost = str(r, "vhost");
    String exchange = str(r, "exchange");
    if (put) {
      requireUser(user);
      requireVhost(vhost);
      TopicPermission p = topicPermissionOf(r);
      write(r);
      broker.users().topicPermissions().put(user, vhost, p);
      log.info("set topic permissions on exchange '{}' for user '{}' in vhost '{}' to '{}', '{}'", exchange, user,
          vhost, p.write(), p.read());
    } else if (broker.users().topicPermissions().remove(user, vhost, exchange)) {
      write(r);
    }
  }

  private void policy(FieldTable r, boolean put) {
    String vhost = str(r, "vhost");
    if (put) {
      VirtualHost vh = requireVhost(vhost);
      Policy p = policyOf(r);
      write(r);
      broker.policies().put(p);
      vh.applyPolicies();
      log.info("set {} '{}' in vhost '{}': pattern {}, apply-to {}, priority {}, {}",
          p.operator() ? "operator policy" : "policy", p.name(), p.vhost(), p.pattern(), p.applyTo().label(),
          p.priority(), p.definition());
    } else {
      String name = str(r, "name");
      boolean operator = bool(r, "operator");
      if (!broker.policies().remove(vhost, name, operator)) {
        throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no %s '%s' in vhost '%s'",
            operator ? "operator policy" : "policy", name, vhost);
      }
      write(r);
      VirtualHost vh = broker.vhost(vhost);
      if (vh != null) {
        vh.applyPolicies();
      }
    }
  }

  private void parameter(FieldTable r, boolean put) {
    String vhost = str(r, "vhost");
    String component = str(r, "component");
    String name = str(r, "name");
    boolean limits = component.equals(ParameterAdmin.VHOST_LIMITS) && name.equals(ParameterAdmin.LIMITS);
    if (put) {
      VirtualHost vh = requireVhost(vhost);
      RuntimeParameters.Parameter p = parameterOf(r);
      write(r);
      broker.runtimeParameters().put(p);
      if (limits && p.value() instanceof Map<?, ?> m) {
        vh.setLimits(Limits.fromJson(m));
        log.info("set vhost limits of vhost '{}' to {}", vhost, p.value());
      }
    } else {
      if (broker.runtimeParameters().remove(vhost, component, name) == null) {
        throw ValidationError.text("Parameter does not exist");
      }
      write(r);
      VirtualHost vh = broker.vhost(vhost);
      if (limits && vh != null) {
        vh.setLimits(Limits.NONE);
        log.info("cleared vhost limits of vhost '{}'", vhost);
      }
    }
  }

  private void write(FieldTable r) {
    broker.definitions().write(r.containsKey(IF_ABSENT) ? r.without(IF_ABSENT) : r);
  }

  private User requireUser(String name) {
    User u = broker.users().get(name);
    if (u == null) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no user '%s'", name);
    }
    return u;
  }

  private VirtualHost requireVhost(String vhost) {
    VirtualHost vh = broker.vhost(vhost);
    if (vh == null) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no vhost '%s'", vhost);
    }
    return vh;
  }

  // ---------------------------------------------------------------- records to entities (also at boot)

  static User userOf(FieldTable u) {
    List<Object> tags = u.getArray("tags");
    PasswordHash.Algorithm a = PasswordHash.Algorithm.of(str(u, "algorithm"));
    return new User(str(u, "name"), str(u, "hash"),
        tags == null ? List.of() : tags.stream().map(String::valueOf).toList(),
        a == null ? PasswordHash.Algorithm.SHA256 : a, Limits.ofTable(u.getTable("limits")));
  }

  static Permission permissionOf(FieldTable p) {
    return new Permission(str(p, "configure"), str(p, "write"), str(p, "read"));
  }

  /** @throws IllegalArgumentException for a pattern that does not compile */
  static TopicPermission topicPermissionOf(FieldTable t) {
    return new TopicPermission(str(t, "user"), str(t, "vhost"), str(t, "exchange"), str(t, "write"), str(t, "read"));
  }

  static Policy policyOf(FieldTable p) {
    Long prio = p.getLong("priority");
    return new Policy(str(p, "vhost"), str(p, "name"), str(p, "pattern"), Policy.ApplyTo.parse(str(p, "applyTo")),
        prio == null ? 0 : prio.intValue(), table(p, "definition"), bool(p, "operator"));
  }

  static RuntimeParameters.Parameter parameterOf(FieldTable p) {
    return new RuntimeParameters.Parameter(str(p, "vhost"), str(p, "component"), str(p, "name"),
        JsonValues.fromField(p.get("value")));
  }

  static String str(FieldTable t, String key) {
    String s = t.getString(key);
    return s == null ? "" : s;
  }

  static boolean bool(FieldTable t, String key) {
    return Boolean.TRUE.equals(t.getBoolean(key));
  }

  static FieldTable table(FieldTable t, String key) {
    FieldTable v = t.getTable(key);
    return v == null ? FieldTable.EMPTY : v;
  }
}
