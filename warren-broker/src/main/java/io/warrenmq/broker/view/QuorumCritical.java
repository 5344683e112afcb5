package io.warrenmq.broker.view;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which quorum queues would lose their majority if this node stopped now (RabbitMQ's
 * {@code check_if_node_is_quorum_critical} and {@code /api/health/checks/node-is-quorum-critical}):
 * those this node is a member of whose other online members are not a majority without it.
 */
public final class QuorumCritical {
  private QuorumCritical() {}

  /** The critical queues; none on a single node. */
  public static List<Queue> queues(Broker broker) {
    ClusterView view = broker.clusterView();
    if (view == null) {
      return List.of();
    }
    String me = null;
    Set<String> online = new HashSet<>();
    for (ClusterView.Member m : view.members()) {
      if (m.self()) {
        me = m.name();
      }
      if (m.running()) {
        online.add(m.name());
      }
    }
    String self = me;
    List<Queue> out = new ArrayList<>();
    for (VirtualHost vh : broker.vhosts()) {
      for (Queue q : vh.queues()) {
        List<String> members = q.members();
        if (members == null || self == null || !members.contains(self)) {
          continue;
        }
        long others = members.stream().filter(m -> !m.equals(self) && online.contains(m)).count();
        if (others * 2 <= members.size()) {
          out.add(q);
        }
      }
    }
    return out;
  }
}
