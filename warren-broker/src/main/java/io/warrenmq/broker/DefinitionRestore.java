package io.warrenmq.broker;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.broker.definitions.DefinitionModel;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.limits.Limits;
import io.warrenmq.broker.parameter.JsonValues;
import io.warrenmq.broker.parameter.RuntimeParameters;
import io.warrenmq.broker.policy.Policies;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.vhost.VirtualHost;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the broker's in-memory state from the definitions replayed at boot: users, their
 * permissions and topic permissions, policies, then each vhost with its exchanges, queues (whose
 * stores recover their messages) and bindings; directories no definition names are removed.
 *
 * <p>Threading: used once, by {@link Broker#start()} under the broker's monitor.
 */
final class DefinitionRestore {
  private static final Logger log = LoggerFactory.getLogger(DefinitionRestore.class);

  private final Users users;
  private final Policies policies;
  private final RuntimeParameters parameters;
  private final Map<String, VirtualHost> vhosts;
  private final Function<String, VirtualHost> newVhost;
  private final Path dataDir;
  /** This node's name: the home node of the cluster's queues whose messages are here. */
  private final String self;

  DefinitionRestore(Users users, Policies policies, RuntimeParameters parameters, Map<String, VirtualHost> vhosts,
      Function<String, VirtualHost> newVhost, Path dataDir, String self) {
    this.self = self;
    this.users = users;
    this.policies = policies;
    this.parameters = parameters;
    this.vhosts = vhosts;
    this.newVhost = newVhost;
    this.dataDir = dataDir;
  }

  void restore(DefinitionModel model) {
    restoreAccess(model);
    for (FieldTable p : model.policies()) {
      try {
        policies.put(MetadataApplier.policyOf(p));
      } catch (IllegalArgumentException e) {
        log.warn("ignoring stored policy {}: {}", str(p, "name"), e.getMessage());
      }
    }
    for (FieldTable v : model.vhostRecords()) {
      VirtualHost vh = newVhost.apply(str(v, "name"));
      vh.setMetadata(BrokerVhosts.metadata(v));
      vhosts.put(vh.name(), vh);
    }
    restoreParameters(model);
    for (FieldTable x : model.exchanges()) {
      VirtualHost vh = vhosts.get(str(x, "vhost"));
      if (vh != null) {
        vh.restoreExchange(Records.exchangeSpec(x), str(x, "dir")); // a cluster's transient ones too
      }
    }
    for (FieldTable q : model.queues()) {
      VirtualHost vh = vhosts.get(str(q, "vhost"));
      if (vh == null) {
        continue;
      }
      QueueSpec spec = Records.queueSpec(q);
      String node = str(q, "node");
      Queue queue = node.isEmpty() ? vh.restoreQueue(spec, str(q, "dir"))
          : vh.clustering().restoreQueue(spec, q, node, self);
      if (queue != null) {
        logRecovery(queue);
      }
    }
    for (VirtualHost vh : vhosts.values()) {
      OrphanFiles.removeQueueDirectories(vh);
    }
    OrphanFiles.removeVhostDirectories(dataDir.resolve("vhosts"), vhosts.values());
    for (FieldTable b : model.bindings()) {
      VirtualHost vh = vhosts.get(str(b, "vhost"));
      if (vh != null) {
        vh.restoreBinding(str(b, "source"), str(b, "destKind"), str(b, "dest"), str(b, "key"), table(b, "arguments"));
      }
    }
  }

  /** Runtime parameters and global parameters; a vhost's limits take effect again. */
  private void restoreParameters(DefinitionModel model) {
    for (FieldTable p : model.parameters()) {
      RuntimeParameters.Parameter param = MetadataApplier.parameterOf(p);
      parameters.put(param);
      VirtualHost vh = vhosts.get(param.vhost());
      if (vh != null && param.component().equals(ParameterAdmin.VHOST_LIMITS)
          && param.name().equals(ParameterAdmin.LIMITS) && param.value() instanceof Map<?, ?> m) {
        vh.setLimits(Limits.fromJson(m));
      }
    }
    for (FieldTable g : model.globalParameters()) {
      parameters.putGlobal(new RuntimeParameters.Global(str(g, "name"), JsonValues.fromField(g.get("value"))));
    }
  }

  private void restoreAccess(DefinitionModel model) {
    for (FieldTable u : model.users()) {
      users.put(MetadataApplier.userOf(u));
    }
    for (FieldTable p : model.permissions()) {
      users.setPermission(str(p, "user"), str(p, "vhost"), MetadataApplier.permissionOf(p));
    }
    for (FieldTable t : model.topicPermissions()) {
      String user = str(t, "user");
      String vhost = str(t, "vhost");
      try {
        users.topicPermissions().put(user, vhost, MetadataApplier.topicPermissionOf(t));
      } catch (IllegalArgumentException e) {
        log.warn("ignoring stored topic permission of user '{}' in vhost '{}': {}", user, vhost, e.getMessage());
      }
    }
  }

  private static void logRecovery(Queue queue) {
    if (queue instanceof io.warrenmq.broker.queue.ClassicQueue c) {
      var r = c.recoveryReport();
      if (r.truncated()) {
        log.warn("recovered {} with {} messages; cut a torn tail: {}", queue.spec().resource(),
            queue.messageCount(), r);
      } else if (!c.recoveredClean() && r.recordsRecovered() > 0) {
        log.info("recovered {} with {} messages after an unclean shutdown: each counts as delivered once ({})",
            queue.spec().resource(), queue.messageCount(), r);
      } else {
        log.info("recovered {} with {} messages ({})", queue.spec().resource(), queue.messageCount(), r);
      }
    } else {
      log.info("recovered {} with {} messages", queue.spec().resource(), queue.messageCount());
    }
  }

  private static String str(FieldTable t, String key) {
    return MetadataApplier.str(t, key);
  }

  private static FieldTable table(FieldTable t, String key) {
    return MetadataApplier.table(t, key);
  }
}
