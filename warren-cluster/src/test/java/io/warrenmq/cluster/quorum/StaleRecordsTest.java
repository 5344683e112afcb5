package io.warrenmq.cluster.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.warrenmq.broker.policy.EffectiveArguments;
import io.warrenmq.broker.queue.QueueFlow;
import io.warrenmq.cluster.quorum.QuorumCommands.Command;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member killed after Ratis handed it an entry's bodies and before it wrote the entry comes back
 * with a record that no entry of the Raft log owns. When the next leader fills that index with an
 * entry without publishes, nothing cuts the record. The leader that reads the member's log must
 * skip it: counting its messages would number every later message wrong, hand out the wrong bodies
 * for their numbers and never the last ones.
 */
class StaleRecordsTest {
  @TempDir Path dir;

  /** A stored message record as the queue keeps it: flags and expiry (0: none), then the value. */
  private static byte[] record(String value) {
    byte[] v = value.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(32 + v.length);
    b.position(32);
    b.put(v);
    return b.array();
  }

  private static ByteBuffer payload(String... values) {
    List<byte[]> rs = new ArrayList<>();
    int n = 0;
    for (String v : values) {
      byte[] r = record(v);
      rs.add(r);
      n += 4 + r.length;
    }
    ByteBuffer p = ByteBuffer.allocate(n);
    for (byte[] r : rs) {
      p.putInt(r.length).put(r);
    }
    return p.flip();
  }

  private static Command enqueue(int n) {
    return new Command(QuorumCommands.ENQUEUE, n, 0, false, new long[0]);
  }

  private static Command settle(long... seqs) {
    return new Command(QuorumCommands.SETTLE, 0, -1, false, seqs);
  }

  /** Applies as the queue does: the records are checked before an entry with publishes. */
  private static void apply(QuorumState state, QuorumLog log, long index, Command c) throws Exception {
    long segment = -1;
    if (c.kind() == QuorumCommands.ENQUEUE) {
      segment = log.segmentStarts().get(0);
      state.checkRecords(log, index);
    }
    state.apply(index, List.of(c), segment);
  }

  /** The leader's read side over {@code log}; its entries go nowhere. */
  private static ReadyMessages leader(QuorumState state, QuorumLog log) {
    CommandPipe pipe = new CommandPipe("q", () -> {
      throw new AssertionError("no client here");
    }, QueueFlow.NEVER, m -> new CompletableFuture<>());
    ReadyMessages ready = new ReadyMessages(state, ByteBufAllocator.DEFAULT, pipe, null, seq -> false);
    ready.activate(log);
    return ready;
  }

  private static List<String> drain(QuorumState state, QuorumLog log) throws Exception {
    return takeAll(leader(state, log));
  }

  /** Every message ready now, as seq=value. */
  private static List<String> takeAll(ReadyMessages ready) throws Exception {
    List<String> out = new ArrayList<>();
    for (Deliveries.Taken t; (t = ready.take(null)) != null; ) {
      byte[] b = ByteBufUtil.getBytes(t.record());
      out.add(t.where().seq() + "=" + new String(b, 32, b.length - 32, StandardCharsets.US_ASCII));
      t.record().release();
    }
    return out;
  }

  @Test
  void aRecordNoEntryOwnsIsSkipped() throws Exception {
    QuorumState state = new QuorumState(QuorumState.Config.of(EffectiveArguments.of(io.warrenmq.amqp.types.FieldTable.EMPTY)));
    try (QuorumLog log = QuorumLog.open(dir, 1 << 20)) {
      log.append(1, 2, payload("a", "b"));
      log.append(2, 1, payload("lost-publish")); // written, then the node was killed before entry 2 was
      // the next leader's entry 2 settles message 0, its entry 3 carries c and d
      log.append(3, 2, payload("c", "d"));
      apply(state, log, 1, enqueue(2));
      apply(state, log, 2, settle(0));
      apply(state, log, 3, enqueue(2));

      assertThat(drain(state, log)).containsExactly("1=b", "2=c", "3=d");
    }
  }

  @Test
  void aRecordNotAppliedYetIsNotHandedOut() throws Exception {
    QuorumState state = new QuorumState(QuorumState.Config.of(EffectiveArguments.of(io.warrenmq.amqp.types.FieldTable.EMPTY)));
    try (QuorumLog log = QuorumLog.open(dir, 1 << 20)) {
      log.append(1, 1, payload("a"));
      log.append(2, 1, payload("lost-publish"));
      apply(state, log, 1, enqueue(1));
      apply(state, log, 2, settle()); // entry 2 applied, but the record at 2 is not its own
      ReadyMessages ready = leader(state, log);
      assertThat(takeAll(ready)).containsExactly("0=a");

      log.append(3, 1, payload("c"));
      apply(state, log, 3, enqueue(1));
      assertThat(takeAll(ready)).as("the cursor waited at the record and skips it now").containsExactly("1=c");
    }
  }
}
