package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueLink;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.queue.QuorumQueues;
import io.warrenmq.broker.queue.RemoteQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A vhost's part in a cluster: its queues restored with their home nodes, the switch to changing
 * the topology through the metadata log ({@link ClusterTopology}), the log's changes applied, and
 * a forgotten node's queues deleted.
 *
 * <p>Threading: thread-safe.
 */
public final class VhostClustering {
  private final String vhost;
  private final ExchangeRegistry exchanges;
  private final QueueRegistry queues;
  private final Bindings bindings;
  private final Executor blocking;
  private final java.util.function.Supplier<String> defaultQueueType;
  private final Consumer<TopologyChanges> switchTo;
  private volatile @Nullable ClusterTopology cluster;
  /** Queues of this node restored at start that do not outlive a restart in a cluster (transient, exclusive). */
  private final List<Queue> goneAtRestart = new ArrayList<>();

  /** @param defaultQueueType the vhost's default_queue_type ("" when not set), read at each declaration */
  VhostClustering(String vhost, ExchangeRegistry exchanges, QueueRegistry queues, Bindings bindings, Executor blocking,
      java.util.function.Supplier<String> defaultQueueType, Consumer<TopologyChanges> switchTo) {
    this.vhost = vhost;
    this.defaultQueueType = defaultQueueType;
    this.exchanges = exchanges;
    this.queues = queues;
    this.bindings = bindings;
    this.blocking = blocking;
    this.switchTo = switchTo;
  }

  /**
   * Recreates a queue of the cluster from the definitions. Its messages are on {@code node} if that
   * is not {@code self}: the queue is then a {@link RemoteQueue}. A transient or exclusive queue of
   * this node did not outlive the restart: it is a placeholder until the cluster deletes it
   * ({@link #replicateWith}). Returns the queue, or null for such a placeholder.
   */
  public @Nullable Queue restoreQueue(QueueSpec spec, FieldTable record, String node, String self) {
    String dirName = record.getString("dir") == null ? "" : record.getString("dir");
    if (queues.quorum(spec)) {
      return queues.restoreQuorum(spec, record);
    }
    if (!node.equals(self)) {
      queues.restoreRemote(spec, node);
      return null;
    }
    if (spec.exclusive() || !spec.durable()) {
      synchronized (goneAtRestart) {
        goneAtRestart.add(queues.restoreRemote(spec, node));
      }
      return null;
    }
    return queues.restore(spec, dirName);
  }

  /**
   * This node is in a cluster: from now on every topology change of this vhost goes through
   * {@code r} and every one gets a definitions record (transient ones too); the queues of this
   * node that did not outlive the restart are deleted in the background.
   *
   * @param self this node's name, the home of the queues declared here
   * @param link how the queues of other nodes are reached (null: they are not)
   */
  public void replicateWith(TopologyReplication r, String self, @Nullable QueueLink link) {
    exchanges.setClustered();
    queues.setClustered(link);
    bindings.setClustered();
    ClusterTopology c = new ClusterTopology(vhost, self, r, exchanges, queues, bindings, blocking, defaultQueueType);
    cluster = c;
    switchTo.accept(c);
    synchronized (goneAtRestart) {
      c.deleteLater(List.copyOf(goneAtRestart));
      goneAtRestart.clear();
    }
  }

  /** This node is in a cluster: queues declared {@code x-queue-type: quorum} are {@code q}'s. */
  public void useQuorumQueues(QuorumQueues q) {
    queues.setQuorum(q);
  }

  /** Whether this vhost's topology changes go through a cluster's metadata log. */
  public boolean replicated() {
    return cluster != null;
  }

  /**
   * Applies a topology change the metadata log committed (an exchange, queue or binding record);
   * throws what a failed check throws, the same on every node.
   */
  public void apply(FieldTable change) {
    ClusterTopology c = cluster;
    if (c == null) {
      throw new IllegalStateException("vhost '" + vhost + "' is not replicated");
    }
    c.apply(change);
  }

  /**
   * A member left the cluster for good: the queues whose home it was are deleted through the log
   * (their messages went with it). Returns how many; 0 on a single node.
   */
  public int forgetNode(String node) {
    ClusterTopology c = cluster;
    return c == null ? 0 : c.deleteQueuesOf(node);
  }
}
