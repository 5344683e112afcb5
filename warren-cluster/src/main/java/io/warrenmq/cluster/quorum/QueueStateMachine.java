package io.warrenmq.cluster.quorum;

import io.warrenmq.cluster.quorum.QuorumCommands.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine of one quorum queue on one member. Publishes' bodies travel as Ratis
 * state-machine data: the leader splits each request into the header (the log data) and the bodies
 * ({@link #startTransaction}), every member writes the bodies into its {@link QuorumLog} when the
 * entry is appended and forces them before Ratis forces its log ({@link #flush}), so a committed
 * entry has its bodies fsynced on a majority. What the entries mean is the {@link Replica}'s
 * business, applied in log order.
 *
 * <p>Threading: write, flush and truncate come from the group's log worker thread, read from its
 * appenders, apply from its apply thread, the leader events from Ratis' threads.
 */
final class QueueStateMachine extends BaseStateMachine {
  private static final Logger log = LoggerFactory.getLogger(QueueStateMachine.class);

  private final long segmentMax;
  private final java.util.function.BooleanSupplier snapshotsEnabled;
  private volatile @Nullable Replica replica;
  /** The last leader change heard ({@code heardSelf} null if none yet), for a replica bound after it. */
  private @Nullable Boolean heardSelf;
  private @Nullable RaftPeerId heardLeader;
  private volatile @Nullable QuorumLog bodies;
  private @Nullable Path bodiesDir;
  private final QueueSnapshots snapshots = new QueueSnapshots();
  /** A snapshot's state not yet handed to the replica (loaded before it was bound); guarded by this. */
  private byte @Nullable [] toRestore;
  /** Whether a snapshot's state is being handed to the replica; guarded by this. */
  private boolean restoring;
  private final Object restoreLock = new Object();
  /** Bodies written and not yet applied, for the appenders (the log cache holds headers only). */
  private final Map<Long, ByteString> recent = new ConcurrentSkipListMap<>();

  /** @param snapshots whether snapshots may be taken (the cluster's feature flag) */
  QueueStateMachine(long segmentMax, java.util.function.BooleanSupplier snapshots) {
    this.segmentMax = segmentMax;
    this.snapshotsEnabled = snapshots;
  }

  /** Binds the queue; a leader change heard before it is passed on. */
  void bind(Replica r) {
    Boolean self;
    RaftPeerId l;
    synchronized (this) {
      replica = r;
      self = heardSelf;
      l = heardLeader;
    }
    restoreInto(r); // a snapshot loaded before the replica was bound, before any entry
    if (self != null) {
      r.leaderChanged(self, l);
    }
  }

  /**
   * This node left the group (delete_member): what the group still applies or hears until it is
   * closed goes nowhere, the queue is no longer its replica.
   */
  void unbind() {
    synchronized (this) {
      replica = Replica.DISCARD;
      notifyAll();
    }
  }

  /**
   * The replica, once bound. Ratis loads a node's groups from disk when its server starts and
   * applies their committed entries right away, before the metadata has opened the queue: the
   * apply thread waits here for it, an entry applied to no queue would be lost to it.
   */
  private synchronized Replica awaitReplica() throws InterruptedException {
    long warnAt = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (replica == null || toRestore != null || restoring) {
      wait(1000);
      if (replica == null && System.nanoTime() > warnAt) {
        log.warn("{}: no queue has opened this group yet; its entries wait", getGroupId());
        warnAt = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
      }
    }
    return replica;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
    getLifeCycle().startAndTransition(() -> {
      super.initialize(server, groupId, storage);
      snapshots.init(storage);
      bodiesDir = storage.getStorageDir().getStateMachineDir().toPath().resolve("bodies");
      bodies = QuorumLog.open(bodiesDir, segmentMax);
      load();
    }, IOException.class);
  }

  /** Starts from the latest snapshot, if there is one: Ratis applies the entries after it. */
  private void load() throws IOException {
    QueueSnapshots.Loaded l = snapshots.load();
    if (l == null) {
      return;
    }
    setLastAppliedTermIndex(l.at());
    Replica r;
    synchronized (this) {
      toRestore = l.state();
      r = replica;
    }
    if (r != null) {
      restoreInto(r);
    }
    log.info("{}: state from the snapshot at {}", getGroupId(), l.at());
  }

  /**
   * Hands the snapshot's state loaded last to {@code r}, if one waits: whichever of the replica's
   * binding and the snapshot's loading comes second does it, and no entry is applied meanwhile.
   */
  private void restoreInto(Replica r) {
    synchronized (restoreLock) { // one at a time: the flag is true until the last one is in
      while (true) {
        byte[] s;
        synchronized (this) {
          s = toRestore;
          toRestore = null;
          restoring = s != null;
          if (s == null) {
            notifyAll();
            return;
          }
        }
        r.restore(s);
      }
    }
  }

  @Override
  public org.apache.ratis.statemachine.StateMachineStorage getStateMachineStorage() {
    return snapshots.storage();
  }

  @Override
  public long takeSnapshot() throws IOException {
    Replica r = replica;
    QuorumLog b = bodies;
    if (r == null || b == null || !snapshotsEnabled.getAsBoolean()) {
      return org.apache.ratis.server.raftlog.RaftLog.INVALID_LOG_INDEX;
    }
    org.apache.ratis.server.protocol.TermIndex at = getLastAppliedTermIndex();
    byte[] state = r.snapshot();
    if (state == null) {
      return org.apache.ratis.server.raftlog.RaftLog.INVALID_LOG_INDEX;
    }
    b.force(); // the bodies of the entries it covers are on disk before the entries may go
    snapshots.save(at, state);
    return at.getIndex();
  }

  @Override
  public org.apache.ratis.statemachine.@Nullable SnapshotInfo getLatestSnapshot() {
    return snapshots.latest(() -> bodies);
  }

  /** Before an installed snapshot replaces the state-machine directory: the bodies are closed. */
  @Override
  public void pause() {
    getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.PAUSING);
    QuorumLog b = bodies;
    bodies = null;
    recent.clear();
    if (b != null) {
      b.close();
    }
    getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.PAUSED);
  }

  /**
   * A snapshot was installed from the leader: the bodies are the ones it sent, cut after the
   * snapshot's index (the entries after it come next, with their bodies), and the state is the
   * snapshot's.
   */
  @Override
  public void reinitialize() throws IOException {
    Path dir = bodiesDir;
    if (dir == null) {
      return;
    }
    QuorumLog b = QuorumLog.open(dir, segmentMax);
    QueueSnapshots.Loaded l = snapshots.load();
    if (l != null) {
      b.truncate(l.at().getIndex() + 1);
    }
    bodies = b;
    load();
    if (getLifeCycleState() == org.apache.ratis.util.LifeCycle.State.PAUSED) {
      getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.STARTING);
      getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.RUNNING);
    }
  }

  /** The member's bodies (after {@link #initialize}). */
  @Nullable QuorumLog bodies() {
    return bodies;
  }

  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    ByteString content = request.getMessage().getContent();
    int h = QuorumCommands.headerLength(content);
    ByteString header = content.substring(4, 4 + h);
    ByteString data = content.substring(4 + h);
    QuorumCommands.decode(header); // refuse what this version cannot apply, before it is logged
    TransactionContext.Builder b = TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request)
        .setServerRole(RaftPeerRole.LEADER).setLogData(header);
    if (!data.isEmpty()) {
      b.setStateMachineData(data);
    }
    return b.build();
  }

  @Override
  public CompletableFuture<?> write(LogEntryProto entry, TransactionContext context) {
    ByteString data = entry.getStateMachineLogEntry().getStateMachineEntry().getStateMachineData();
    if (data.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      int count = QuorumCommands.enqueued(QuorumCommands.decode(entry.getStateMachineLogEntry().getLogData()));
      requireBodies().append(entry.getIndex(), count, data.asReadOnlyByteBuffer());
      recent.put(entry.getIndex(), data);
      return CompletableFuture.completedFuture(null);
    } catch (IOException | RuntimeException e) {
      log.error("{}: could not write the bodies of entry {}", getGroupId(), entry.getIndex(), e);
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> flush(long logIndex) {
    try {
      requireBodies().force();
      return CompletableFuture.completedFuture(null);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> truncate(long logIndex) {
    try {
      requireBodies().truncate(logIndex);
      recent.keySet().removeIf(i -> i >= logIndex);
      return CompletableFuture.completedFuture(null);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<ByteString> read(LogEntryProto entry, TransactionContext context) {
    ByteString cached = recent.get(entry.getIndex());
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    try {
      QuorumLog log = requireBodies();
      QuorumLog.Entry e = log.read(entry.getIndex());
      if (e != null) {
        return CompletableFuture.completedFuture(ByteString.copyFrom(e.payload()));
      }
      if (log.deletedBelow(entry.getIndex())) {
        // a follower far behind: every message of the entry is settled and its segment deleted here;
        // it gets empty bodies (the settlements follow in later entries, so none is ever delivered)
        int count = QuorumCommands.enqueued(QuorumCommands.decode(entry.getStateMachineLogEntry().getLogData()));
        return CompletableFuture.completedFuture(ByteString.copyFrom(new byte[4 * count]));
      }
      return CompletableFuture.failedFuture(new IOException("no bodies for entry " + entry.getIndex() + " here"));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto e = trx.getLogEntry();
    long index = e.getIndex();
    Replica r;
    try {
      r = awaitReplica();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt(); // the group is closing: the entry is applied at its next start
      return CompletableFuture.failedFuture(ex);
    }
    try {
      List<Command> commands = QuorumCommands.decode(e.getStateMachineLogEntry().getLogData());
      long segment = -1;
      if (QuorumCommands.enqueued(commands) > 0) {
        segment = segmentOf(index);
      }
      return CompletableFuture.completedFuture(r.apply(index, commands, segment));
    } catch (RuntimeException ex) {
      log.error("{}: could not apply entry {}", getGroupId(), index, ex);
      return CompletableFuture.failedFuture(ex);
    } finally {
      recent.remove(index);
      updateLastAppliedTermIndex(e.getTerm(), index);
    }
  }

  private long segmentOf(long index) {
    List<Long> starts = requireBodies().segmentStarts();
    long s = -1;
    for (long first : starts) {
      if (first <= index) {
        s = first;
      } else {
        break;
      }
    }
    return s;
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId leader) {
    leaderChanged(member.getPeerId().equals(leader), leader);
  }

  @Override
  public void notifyNotLeader(java.util.Collection<TransactionContext> pending) {
    leaderChanged(false, null);
  }

  private void leaderChanged(boolean self, @Nullable RaftPeerId leader) {
    Replica r;
    synchronized (this) {
      heardSelf = self;
      heardLeader = leader;
      r = replica;
    }
    if (r != null) {
      r.leaderChanged(self, leader);
    }
  }

  private QuorumLog requireBodies() {
    QuorumLog b = bodies;
    if (b == null) {
      throw new IllegalStateException("not initialized");
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    super.close();
    QuorumLog b = bodies;
    if (b != null) {
      b.close();
    }
  }
}
