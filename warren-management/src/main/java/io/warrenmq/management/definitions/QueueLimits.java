package io.warrenmq.management.definitions;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * rabbit_definitions validate_limits: before anything of a vhost is imported, the new queues of
 * the file must fit the vhost's max-queues, else the import is aborted with RabbitMQ's text.
 */
final class QueueLimits {
  private QueueLimits() {}

  /** @param only the vhost of a vhost's import (its queues have no vhost field), else null */
  static void check(Broker broker, List<Map<String, Object>> queues, @Nullable String only) {
    Map<String, Integer> added = new LinkedHashMap<>();
    for (Map<String, Object> q : queues) {
      String vhost = only != null ? only : q.get("vhost") == null ? null : q.get("vhost").toString();
      VirtualHost vh = vhost == null ? null : broker.vhost(vhost);
      if (vhost != null && (vh == null || vh.queue(DefinitionsImport.str(q, "name")) == null)) {
        added.merge(vhost, 1, Integer::sum);
      }
    }
    added.forEach((vhost, n) -> {
      VirtualHost vh = broker.vhost(vhost);
      long limit = vh == null ? -1 : vh.limits().get("max-queues");
      // rabbit_vhost_limit would_exceed_queue_limit reports a count of 0 for a limit of 0
      int count = vh == null || limit == 0 ? 0 : vh.queues().size();
      if (limit == 0 || limit > 0 && count + n > limit) {
        throw new DefinitionsImport.ImportFailed("Adding " + n + " queue(s) to virtual host \"" + vhost
            + "\" would exceed the limit of " + limit + " queue(s).\n\nThis virtual host currently has " + count
            + " queue(s) defined.\n\nImport aborted!");
      }
    });
  }
}
