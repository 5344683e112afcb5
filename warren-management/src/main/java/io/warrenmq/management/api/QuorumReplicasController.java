package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ClusterView;
import io.warrenmq.broker.view.QuorumReplicas;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's endpoints for the members of quorum queues (administrators):
 *
 * <ul>
 *   <li>{@code POST /api/queues/quorum/{vhost}/{name}/replicas/add} {@code {"node": N}}: add_member
 *       (204 once the queue's group has taken the node, 503 with the reason if it did not);
 *   <li>{@code DELETE /api/queues/quorum/{vhost}/{name}/replicas/delete} {@code {"node": N}}:
 *       delete_member (204, 503);
 *   <li>{@code POST /api/queues/quorum/replicas/on/{node}/grow} {@code {"strategy": "all"|"even",
 *       "vhost_pattern": RE, "queue_pattern": RE}}: grow (204; 404 if the node is not running);
 *   <li>{@code DELETE /api/queues/quorum/replicas/on/{node}/shrink}: shrink of every quorum queue
 *       (202, as RabbitMQ: what failed for a queue is logged, not answered);
 *   <li>{@code POST /api/rebalance/queues}: rebalance of the quorum queues' leaders, in the
 *       background (204 at once).
 * </ul>
 */
final class QuorumReplicasController {
  private static final Logger log = LoggerFactory.getLogger(QuorumReplicasController.class);
  private final Broker broker;

  QuorumReplicasController(Broker broker) {
    this.broker = broker;
  }

  void register(ApiRoutes api) {
    api.post("/api/queues/quorum/{vhost}/{name}/replicas/add", Access.ADMIN, c -> member(c, true));
    api.delete("/api/queues/quorum/{vhost}/{name}/replicas/delete", Access.ADMIN, c -> member(c, false));
    api.post("/api/queues/quorum/replicas/on/{node}/grow", Access.ADMIN, this::grow);
    api.delete("/api/queues/quorum/replicas/on/{node}/shrink", Access.ADMIN, this::shrink);
    api.post("/api/rebalance/queues", Access.ADMIN, this::rebalance);
  }

  /** As RabbitMQ: the rebalance goes on in the background, the call answers at once. */
  private Response rebalance(Call c) {
    view();
    log.info("user '{}' has started a rebalance of the quorum queues' leaders", c.principal().name());
    Thread.ofVirtual().name("warren-rebalance").start(() -> {
      try {
        QuorumReplicas.rebalance(broker, QuorumReplicas.Selection.ALL);
      } catch (RuntimeException e) {
        log.warn("the rebalance of the quorum queues' leaders failed", e);
      }
    });
    return Response.noContent();
  }

  private Response member(Call c, boolean add) {
    VirtualHost vh = broker.vhost(c.param("vhost"));
    Queue q = vh == null ? null : vh.queue(c.param("name"));
    if (q == null) {
      throw Call.notFound();
    }
    Map<String, Object> body = c.body();
    ObjectContext.require(body, "node");
    String node = String.valueOf(body.get("node"));
    try {
      if (add) {
        view().addQueueMember(q, node);
      } else {
        view().deleteQueueMember(q, node);
      }
    } catch (IllegalArgumentException e) {
      throw unavailable(e.getMessage());
    }
    return Response.noContent();
  }

  private Response grow(Call c) {
    String node = c.param("node");
    ClusterView view = view();
    if (view.members().stream().noneMatch(m -> m.name().equals(node) && m.running())) {
      throw Call.notFound();
    }
    Map<String, Object> body = c.body();
    ObjectContext.require(body, "vhost_pattern", "queue_pattern", "strategy");
    String strategy = String.valueOf(body.get("strategy"));
    if (!strategy.equals("all") && !strategy.equals("even")) {
      throw ApiException.badRequest("strategy: all or even, not " + strategy);
    }
    QuorumReplicas.Selection which = new QuorumReplicas.Selection(pattern("vhost_pattern", body),
        pattern("queue_pattern", body));
    logErrors("grow", QuorumReplicas.grow(broker, node, strategy.equals("even"), which));
    return Response.noContent();
  }

  private Response shrink(Call c) {
    view();
    logErrors("shrink", QuorumReplicas.shrink(broker, c.param("node"), QuorumReplicas.Selection.ALL));
    return Response.bytes(202, Response.JSON, new byte[0]);
  }

  /** RabbitMQ answers grow and shrink without the queues' outcomes: the failures are in the log. */
  private static void logErrors(String what, List<QuorumReplicas.Result> results) {
    for (QuorumReplicas.Result r : results) {
      if (r.error() != null) {
        log.warn("{} of quorum queue '{}' in vhost '{}' failed: {}", what, r.name(), r.vhost(), r.error());
      }
    }
  }

  private ClusterView view() {
    ClusterView v = broker.clusterView();
    if (v == null) {
      throw unavailable("this node is not in a cluster");
    }
    return v;
  }

  private static Pattern pattern(String key, Map<String, Object> body) {
    String regex = String.valueOf(body.get(key));
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw ApiException.badRequest(key + ": '" + regex + "' is not a regular expression: " + e.getDescription());
    }
  }

  private static ApiException unavailable(String reason) {
    return new ApiException(503, "service_unavailable", reason);
  }
}
