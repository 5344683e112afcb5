package io.warrenmq.cluster.quorum;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node that is not a member of a quorum queue's group (the queue was declared while it was
 * down, or its group is smaller than the cluster) learns who leads it: it hears no leader change,
 * so it asks the members, every second while it knows no leader and every 5 s after, for as long
 * as the queue is open.
 *
 * <p>Threading: a virtual thread of its own per queue.
 */
final class LeaderLookup {
  private static final Logger log = LoggerFactory.getLogger(LeaderLookup.class);

  private LeaderLookup() {}

  /**
   * @param members the queue's members now
   * @param open whether the queue is still open and this node not a member
   * @param known the node this node believes leads, or null
   * @param changed told the leader's peer when it is another node than {@code known}
   */
  static void start(String queue, RaftGroup group, Supplier<List<String>> members, QuorumGroups groups, BooleanSupplier open,
      Supplier<@Nullable String> known, Consumer<RaftPeerId> changed) {
    Thread.ofVirtual().name("warren-qq-leader-lookup").start(() -> {
      while (open.getAsBoolean()) {
        String node = null;
        try {
          RaftPeerId found = groups.clients().findLeader(group, members.get());
          node = found == null ? null : groups.nodeOf(found);
          if (node != null && !node.equals(known.get())) {
            changed.accept(found);
          }
        } catch (RuntimeException e) {
          log.debug("{}: looking for its leader: {}", queue, e.toString()); // again in a second
        }
        try {
          Thread.sleep(node == null ? 1000 : 5000);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }
}
