package io.warrenmq.cluster;

import io.warrenmq.cluster.quorum.QuorumGroups;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** How a node's Ratis server and clients are set up, for the metadata group and the quorum queues' groups. */
public final class RaftTuning {
  private RaftTuning() {}

  /** The node's Ratis server: its storage, its address and the limits its logs run with. */
  static RaftProperties server(ClusterSettings s) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(s.raftDir().toFile()));
    GrpcConfigKeys.Server.setHost(p, s.self().host());
    GrpcConfigKeys.Server.setPort(p, s.self().port());
    // three JVMs on two cores pause now and then: elections after 1-2 s of silence, not 150-300 ms
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
    // the entries are small definitions records: small buffers (the defaults allocate 8 MB direct)
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(QuorumGroups.ENTRY_BYTES + (64 << 10)));
    // quorum queues' entries carry batches of publishes, up to QuorumGroups.ENTRY_BYTES (Ratis sends
    // no entry larger than this limit, and each group's log writer holds a direct buffer as large)
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(QuorumGroups.ENTRY_BYTES));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(s.logSegmentBytes()));
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(1 << 20, s.logSegmentBytes())));
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
    // quorum queues' members snapshot their state every so many entries, and the entries before go
    // once every member has them; the definitions log takes no snapshot (it is the state)
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, s.snapshotInterval());
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, s.snapshotInterval()));
    // quorum queues' bodies are state-machine data: the log cache keeps only the headers
    RaftServerConfigKeys.Log.StateMachineData.setCachingEnabled(p, true);
    return p;
  }

  /** A Ratis client whose requests time out after {@code seconds}. */
  public static RaftProperties client(int seconds) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(seconds, TimeUnit.SECONDS));
    return p;
  }
}
