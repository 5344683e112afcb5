package io.warrenmq.broker.view;

import java.util.List;

/** The cluster a node is part of, as that node sees it: for the API's and warrenctl's node listings. */
public interface ClusterView {
  /** A member: its name, whether it is online as this node sees it, and whether it is this node. */
  record Member(String name, boolean running, boolean self) {}

  /** The configured cluster name ({@code cluster_name}). */
  String clusterName();

  /** Every member, in the configured order. */
  List<Member> members();
}
