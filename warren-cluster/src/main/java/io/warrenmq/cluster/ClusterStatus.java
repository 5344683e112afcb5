package io.warrenmq.cluster;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The cluster as one node sees it: its members sorted by name; {@code leader} (the metadata log's)
 * is null while none is known; {@code caughtUp} whether this node has applied what the leader had
 * committed when it answered (always true on the leader).
 */
public record ClusterStatus(String clusterName, String self, @Nullable String leader, List<Member> members,
    boolean caughtUp) {
  /** One member: online is the leader's view (it heard from the member within 5 s). */
  public record Member(String name, String address, boolean online, boolean leader, boolean self) {}

  public ClusterStatus {
    members = List.copyOf(members);
  }

  /** As seen by a node that does not know whether it has caught up with the leader's log (counts as caught up). */
  public ClusterStatus(String clusterName, String self, @Nullable String leader, List<Member> members) {
    this(clusterName, self, leader, members, true);
  }

  public long onlineCount() {
    return members.stream().filter(Member::online).count();
  }
}
