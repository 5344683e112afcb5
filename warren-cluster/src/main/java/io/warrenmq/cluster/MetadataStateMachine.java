package io.warrenmq.cluster;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.definitions.Records;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log's state machine: each committed entry is applied to this node's broker
 * ({@link io.warrenmq.broker.MetadataChanges#applyReplicated}), which writes it with its index to the definitions log. That
 * log, not a Raft snapshot, is this state machine's durable state: after a restart the entries up
 * to the index it holds are skipped, the rest applied. The node that asked for an entry learns
 * here that it was applied, and how.
 *
 * <p>Threading: entries are applied on Ratis' one apply thread per group; waiters are completed
 * there; {@link #query} runs on Ratis' server threads.
 */
final class MetadataStateMachine extends BaseStateMachine {
  private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);
  static final String STATUS = "status";

  static final String FLAGS = "flags";
  /** The status reply's first line: the leader's commit index. */
  static final String COMMIT = "#commit=";

  private final Broker broker;
  private final String origin;
  private final Members members;
  private final FeatureFlags flags;
  private final Consumer<String> fatal;
  private final Map<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

  /** @param fatal told why this node may not run in the cluster (a feature flag it lacks is enabled) */
  MetadataStateMachine(Broker broker, String origin, Members members, FeatureFlags flags, Consumer<String> fatal) {
    this.broker = broker;
    this.origin = origin;
    this.members = members;
    this.flags = flags;
    this.fatal = fatal;
  }

  /** The entry {@code seq} this node appends: {@code applied} completes once it is applied here. */
  void expect(long seq, CompletableFuture<Void> applied) {
    waiting.put(seq, applied);
  }

  /** This node's id for this run, in the entries it appends. */
  String origin() {
    return origin;
  }

  void forget(long seq) {
    waiting.remove(seq);
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto e = trx.getLogEntry();
    long index = e.getIndex();
    long term = e.getTerm();
    if (index <= broker.metadataChanges().replicatedIndex()) {
      updateLastAppliedTermIndex(term, index); // applied before the restart, as the definitions log says
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    MetadataEntry entry = MetadataEntry.decode(e.getStateMachineLogEntry().getLogData());
    List<FieldTable> changes = firstAnnouncementOnly(entry.changes());
    RuntimeException failure;
    try {
      failure = broker.metadataChanges().applyReplicated(term, index, changes);
    } catch (RuntimeException ex) {
      // not a failed check but this node's own trouble (its disk): its state may now differ
      log.error("could not apply metadata log entry {} here", index, ex);
      failure = ex;
    }
    members.apply(changes);
    flags.apply(changes);
    List<String> missing = flags.missingHere(flags.enabled());
    if (!missing.isEmpty()) {
      fatal.accept("the cluster enabled feature flags this node's version does not support: " + missing);
    }
    updateLastAppliedTermIndex(term, index);
    if (entry.origin().equals(origin)) {
      CompletableFuture<Void> w = waiting.remove(entry.seq());
      if (w != null) {
        if (failure == null) {
          w.complete(null);
        } else {
          w.completeExceptionally(failure);
        }
      }
    }
    return CompletableFuture.completedFuture(Message.valueOf(failure == null ? "ok" : "failed"));
  }

  /**
   * The feature flags an announcement enables are kept only if it is the first announcement of
   * the cluster (a new cluster starts with its first node's flags on); the same on every node.
   */
  private List<FieldTable> firstAnnouncementOnly(List<FieldTable> changes) {
    if (members.none() || !Members.announces(changes)) {
      return changes;
    }
    return changes.stream().filter(c -> !FeatureFlags.RECORD.equals(c.getString(Records.TYPE))
        || !Boolean.TRUE.equals(c.getBoolean(FeatureFlags.IF_FIRST))).toList();
  }

  /**
   * {@code status}, asked of the leader: each follower's address and the milliseconds since it last
   * answered, one {@code address=ms} per line; {@code flags}: the enabled feature flags.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    String q = request.getContent().toString(StandardCharsets.UTF_8);
    if (q.equals(FLAGS)) {
      return CompletableFuture.completedFuture(Message.valueOf(String.join(",", flags.enabled())));
    }
    if (!q.equals(STATUS)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("unknown query " + q));
    }
    try {
      RaftServer server = getServer().join();
      var info = server.getDivision(getGroupId()).getInfo();
      StringBuilder sb = new StringBuilder();
      // what a follower must have applied to be caught up (older nodes ignore this line)
      sb.append(COMMIT).append(server.getDivision(getGroupId()).getRaftLog().getLastCommittedIndex()).append('\n');
      if (info.getRoleInfoProto().hasLeaderInfo()) {
        StatusReader.followersSeen(info).forEach((address, ms) -> sb.append(address).append('=').append(ms).append('\n'));
      }
      return CompletableFuture.completedFuture(Message.valueOf(sb.toString()));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
