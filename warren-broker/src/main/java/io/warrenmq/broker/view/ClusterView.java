package io.warrenmq.broker.view;

import io.warrenmq.broker.queue.Queue;
import java.util.List;

/** The cluster a node is part of, as that node sees it: for the API's and warrenctl's node listings. */
public interface ClusterView {
  /** A member: its name, whether it is online as this node sees it, and whether it is this node. */
  record Member(String name, boolean running, boolean self) {}

  /** The configured cluster name ({@code cluster_name}). */
  String clusterName();

  /** Every member, in the configured order. */
  List<Member> members();

  /**
   * {@code add_member}: {@code node} becomes a member of quorum queue {@code q}; blocks until the
   * queue's group has taken it.
   *
   * @throws IllegalArgumentException if it cannot be, with why (not a quorum queue, no such node...)
   */
  default void addQueueMember(Queue q, String node) {
    throw new IllegalArgumentException("this node is not in a cluster");
  }

  /**
   * {@code delete_member}: {@code node} is a member of quorum queue {@code q} no longer; blocks
   * until the queue's group has let it go.
   *
   * @throws IllegalArgumentException if it cannot be, with why
   */
  default void deleteQueueMember(Queue q, String node) {
    throw new IllegalArgumentException("this node is not in a cluster");
  }

  /**
   * {@code transfer_leadership}: {@code node}'s member of quorum queue {@code q} leads it; blocks
   * up to 10 s.
   *
   * @throws IllegalArgumentException if it cannot, with why
   */
  default void transferQueueLeadership(Queue q, String node) {
    throw new IllegalArgumentException("this node is not in a cluster");
  }
}
