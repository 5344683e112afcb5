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

  /** What the committed entries are applied to: the queue on this node. */
  interface Replica {
    /** Applies committed entry {@code index} ({@code segment}: where its bodies are, or -1); its reply. */
    Message apply(long index, List<Command> commands, long segment);

    /** This member's leader changed: {@code self} whether it is this node now. */
    void leaderChanged(boolean self, @Nullable RaftPeerId leader);
  }

  /** The replica of a group this node left: applies nothing, hears nothing. */
  private static final Replica DISCARD = new Replica() {
    @Override
    public Message apply(long index, List<Command> commands, long segment) {
      return Message.EMPTY;
    }

    @Override
    public void leaderChanged(boolean self, @Nullable RaftPeerId leader) {}
  };

  private final long segmentMax;
  private volatile @Nullable Replica replica;
  /** The last leader change heard ({@code heardSelf} null if none yet), for a replica bound after it. */
  private @Nullable Boolean heardSelf;
  private @Nullable RaftPeerId heardLeader;
  private @Nullable QuorumLog bodies;
  /** Bodies written and not yet applied, for the appenders (the log cache holds headers only). */
  private final Map<Long, ByteString> recent = new ConcurrentSkipListMap<>();

  QueueStateMachine(long segmentMax) {
    this.segmentMax = segmentMax;
  }

  /** Binds the queue; a leader change heard before it is passed on. */
  void bind(Replica r) {
    Boolean self;
    RaftPeerId l;
    synchronized (this) {
      replica = r;
      notifyAll();
      self = heardSelf;
      l = heardLeader;
    }
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
      replica = DISCARD;
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
    while (replica == null) {
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
    super.initialize(server, groupId, storage);
    Path dir = storage.getStorageDir().getStateMachineDir().toPath().resolve("bodies");
    bodies = QuorumLog.open(dir, segmentMax);
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
