package io.warrenmq.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a node needs to take part in a cluster.
 *
 * @param nodeName the name shown for this node ({@code cluster_status}, the management API)
 * @param self this node's address for Raft, as it appears in {@code peers}
 * @param peers every node's Raft address, this one's included (the seed list; RabbitMQ's
 *     classic_config nodes)
 * @param clusterName names the cluster's metadata group: nodes with another name do not join it
 * @param raftDir where the Raft log lives
 * @param metadataTimeout how long a metadata change waits for the log to commit and apply it
 * @param snapshotInterval entries of a quorum queue's log after which its member takes a snapshot
 *     (and the entries before it can go)
 * @param logSegmentBytes the size of a Raft log's segment files: the entries before a snapshot go a
 *     whole segment at a time
 */
public record ClusterSettings(String nodeName, PeerAddress self, List<PeerAddress> peers, String clusterName,
    Path raftDir, Duration metadataTimeout, long snapshotInterval,
    long logSegmentBytes) {
  public ClusterSettings {
    peers = List.copyOf(peers);
    if (!peers.contains(self)) {
      throw new IllegalArgumentException("the cluster peers " + peers + " do not include this node's address " + self);
    }
  }
}
