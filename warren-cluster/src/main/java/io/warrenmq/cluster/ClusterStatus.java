package io.warrenmq.cluster;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The cluster as one node sees it: its members sorted by name; {@code leader} (the metadata log's)
 * is null while none is known.
 */
public record ClusterStatus(String clusterName, String self, @Nullable String leader, List<Member> members) {
  /** One member: online is the leader's view (it heard from the member within 5 s). */
  public record Member(String name, String address, boolean online, boolean leader, boolean self) {}

  public ClusterStatus {
    members = List.copyOf(members);
  }

  public long onlineCount() {
    return members.stream().filter(Member::online).count();
  }
}
