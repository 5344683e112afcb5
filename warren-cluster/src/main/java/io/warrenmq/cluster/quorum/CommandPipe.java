package io.warrenmq.cluster.quorum;

import io.netty.buffer.ByteBuf;
import io.warrenmq.broker.queue.QueueFlow;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node says to one quorum queue's Raft group: publishes, settlements, returns and
 * purges, sent one entry at a time. What arrives while an entry is in flight waits and goes, all of
 * it, in the next one: publishes to a queue are batched into one entry while the previous one is
 * in flight, and their order is kept.
 *
 * <p>A publish completes when its entry is committed (header and bodies fsynced on a majority) and
 * applied on the leader; exceptionally when the group did not take it in time (no majority), and
 * the publisher is nacked. Settlements that are lost that way are not retried: the messages stay in
 * the queue and are delivered again (at least once).
 *
 * <p>Threading: thread-safe; the Ratis client's callbacks send the next entry.
 */
final class CommandPipe {
  private static final Logger log = LoggerFactory.getLogger(CommandPipe.class);

  /** How often an entry is sent again while the group does not exist yet (100 ms apart). */
  private static final int GROUP_WAIT_ATTEMPTS = 100;

  /** Bytes of publishes waiting for the entry in flight from which publishers pause, and at which they go on. */
  static final int PAUSE_BYTES = 4 << 20;
  /** The bodies one entry carries at most (the entry's header and Ratis' framing take the rest). */
  static final int MAX_BODIES = QuorumGroups.ENTRY_BYTES - (16 << 10);
  static final int RESUME_BYTES = 1 << 20;

  private final String name;
  private final QueueFlow flow;
  private final Local local;
  private final Supplier<RaftClient> clients;
  private RaftClient client;
  private boolean inFlight;
  private boolean closed;

  private ByteBuffer data = ByteBuffer.allocate(4096);
  private int enqueued;
  private List<CompletableFuture<Void>> publishes = new ArrayList<>();
  private long[] settles = new long[64];
  private int settleCount;
  private long deliveredThrough = -1;
  private boolean markPending;
  /** Whether the entry in flight carries the delivery mark (it is sent again if that entry fails). */
  private boolean markInFlight;
  private long[] failedReturns = new long[16];
  private int failedCount;
  private long[] plainReturns = new long[16];
  private int plainCount;
  private final List<Purge> purges = new ArrayList<>();
  /** The limits to log next (configure), or null. */
  private QuorumState.@Nullable Config config;

  private record Purge(long below, long[] keep, CompletableFuture<Long> done) {}

  /** How an entry goes to this node's own member when it leads the group (in process), or null if it does not. */
  interface Local {
    @org.jspecify.annotations.Nullable CompletableFuture<RaftClientReply> submitIfLeader(Message m);
  }

  CommandPipe(String name, Supplier<RaftClient> clients, QueueFlow flow, Local local) {
    this.name = name;
    this.clients = clients;
    this.flow = flow;
    this.local = local;
  }

  /** Publishes a stored record (borrowed: copied here); completes once committed and applied. */
  synchronized CompletableFuture<Void> publish(ByteBuf record) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("the queue is closed"));
      return f;
    }
    int len = record.readableBytes();
    if (4 + len > MAX_BODIES) {
      f.completeExceptionally(new IllegalArgumentException("a message of " + len
          + " bytes is larger than a quorum queue takes (" + MAX_BODIES + " bytes with its headers)"));
      log.warn("{}: refused a message of {} bytes (quorum queues take at most {})", name, len, MAX_BODIES);
      return f;
    }
    ensure(4 + len);
    data.putInt(len);
    record.getBytes(record.readerIndex(), data.array(), data.position(), len);
    data.position(data.position() + len);
    enqueued++;
    publishes.add(f);
    sendIfIdle();
    if (data.position() >= PAUSE_BYTES) {
      flow.fellBehind(); // the group takes less than is published: publishers stop reading their sockets
    }
    return f;
  }

  private void ensure(int more) {
    if (data.remaining() < more) {
      ByteBuffer b = ByteBuffer.allocate(Math.max(data.capacity() * 2, data.position() + more));
      data.flip();
      b.put(data);
      data = b;
    }
  }

  /** Acked, rejected or dropped messages; {@code through} the highest number delivered so far. */
  synchronized void settle(long[] seqs, int n, long through) {
    if (settleCount + n > settles.length) {
      settles = Arrays.copyOf(settles, Math.max(settles.length * 2, settleCount + n));
    }
    System.arraycopy(seqs, 0, settles, settleCount, n);
    settleCount += n;
    if (through > deliveredThrough) {
      deliveredThrough = through;
    }
    sendIfIdle();
  }

  /** The leader delivered every message up to {@code through}: it goes into the log with the next entry. */
  synchronized void mark(long through) {
    deliveredThrough = Math.max(deliveredThrough, through);
    markPending = true; // also when it was sent before: that entry may have failed
    sendIfIdle();
  }

  /** Messages back to the queue; {@code failed} if the delivery failed (counts toward the limit). */
  synchronized void returned(long[] seqs, int n, boolean failed) {
    if (failed) {
      if (failedCount + n > failedReturns.length) {
        failedReturns = Arrays.copyOf(failedReturns, Math.max(failedReturns.length * 2, failedCount + n));
      }
      System.arraycopy(seqs, 0, failedReturns, failedCount, n);
      failedCount += n;
    } else {
      if (plainCount + n > plainReturns.length) {
        plainReturns = Arrays.copyOf(plainReturns, Math.max(plainReturns.length * 2, plainCount + n));
      }
      System.arraycopy(seqs, 0, plainReturns, plainCount, n);
      plainCount += n;
    }
    sendIfIdle();
  }

  /** Settles every message numbered below {@code below} but {@code keep}; completes with how many. */
  synchronized CompletableFuture<Long> purge(long below, long[] keep) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    purges.add(new Purge(below, keep, f));
    sendIfIdle();
    return f;
  }

  /**
   * Logs the queue's new limits, in the next entry, before its publishes. Only a leader's: a CONFIG
   * that fails is not sent again (the next leader compares the limits itself).
   */
  synchronized void configure(QuorumState.Config c) {
    config = c;
    sendIfIdle();
  }

  private boolean pending() {
    return config != null || enqueued > 0 || settleCount > 0 || markPending || failedCount > 0 || plainCount > 0
        || !purges.isEmpty();
  }

  private void sendIfIdle() {
    if (inFlight || closed || !pending()) {
      return;
    }
    QuorumCommands.Header h = new QuorumCommands.Header();
    if (config != null) {
      h.config(config);
      config = null;
    }
    ByteString body = ByteString.EMPTY;
    List<CompletableFuture<Void>> sentPublishes = List.of();
    if (enqueued > 0) {
      // as many whole messages as one entry takes; the rest goes in the next one
      int n = 0;
      int end = 0;
      while (n < enqueued) {
        int next = end + 4 + data.getInt(end);
        if (next > MAX_BODIES) {
          break;
        }
        end = next;
        n++;
      }
      h.enqueue(n);
      byte[] sent = java.util.Arrays.copyOf(data.array(), end);
      body = UnsafeByteOperations.unsafeWrap(sent);
      ByteBuffer rest = ByteBuffer.allocate(Math.max(4096, data.position() - end));
      rest.put(data.array(), end, data.position() - end);
      data = rest;
      sentPublishes = new ArrayList<>(publishes.subList(0, n));
      publishes = new ArrayList<>(publishes.subList(n, publishes.size()));
      enqueued -= n;
    }
    boolean sentMark = settleCount > 0 || markPending;
    if (sentMark) {
      h.settle(deliveredThrough, settles, settleCount);
      settleCount = 0;
      markPending = false;
    }
    if (failedCount > 0) {
      h.returned(true, failedReturns, failedCount);
      failedCount = 0;
    }
    if (plainCount > 0) {
      h.returned(false, plainReturns, plainCount);
      plainCount = 0;
    }
    List<Purge> sentPurges = List.copyOf(purges);
    for (Purge p : sentPurges) {
      h.purge(p.below(), p.keep());
    }
    purges.clear();
    inFlight = true;
    markInFlight = sentMark;
    send(Message.valueOf(h.request(body)), 0, sentPublishes, sentPurges);
  }

  /** Under the lock: sends one entry ({@code attempt} how many times it found no group). */
  private void send(Message m, int attempt, List<CompletableFuture<Void>> sentPublishes, List<Purge> sentPurges) {
    CompletableFuture<RaftClientReply> here = attempt == 0 ? local.submitIfLeader(m) : null;
    if (here != null) {
      here.whenComplete((r, e) -> {
        if (e == null && r.isSuccess()) {
          done(null, r, null, sentPublishes, sentPurges);
        } else {
          synchronized (this) {
            send(m, attempt + 1, sentPublishes, sentPurges); // it no longer leads: through a client
          }
        }
      });
      return;
    }
    if (client == null) {
      client = clients.get();
    }
    RaftClient c = client;
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = c.async().send(m);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((r, e) -> {
      Throwable failure = e != null ? e : r.isSuccess() ? null : r.getException();
      if (failure != null && attempt < GROUP_WAIT_ATTEMPTS && groupMissing(failure)) {
        // a new queue: its members are still adding its group
        synchronized (this) {
          if (client == c) {
            client = null;
            closeQuietly(c);
          }
        }
        CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> {
          synchronized (this) {
            send(m, attempt + 1, sentPublishes, sentPurges);
          }
        });
        return;
      }
      done(c, r, failure, sentPublishes, sentPurges);
    });
  }

  private static boolean groupMissing(Throwable t) {
    for (Throwable x = t; x != null; x = x.getCause()) {
      if (x instanceof org.apache.ratis.protocol.exceptions.GroupMismatchException) {
        return true;
      }
    }
    return false;
  }

  private void done(@org.jspecify.annotations.Nullable RaftClient c, RaftClientReply r, Throwable failure,
      List<CompletableFuture<Void>> sent,
      List<Purge> sentPurges) {
    if (failure == null) {
      QuorumCommands.Reply answer = QuorumCommands.Reply.decode(r.getMessage().getContent());
      boolean accepted = answer.accepted();
      long purged = answer.purged();
      int refused = answer.refused(); // the entry's last publishes
      for (int i = 0; i < sent.size(); i++) {
        if (accepted && i < sent.size() - refused) {
          sent.get(i).complete(null);
        } else {
          sent.get(i).completeExceptionally(new IllegalStateException(accepted
              ? name + " is full (x-max-length, x-overflow reject-publish)" : "refused by the queue"));
        }
      }
      for (Purge p : sentPurges) {
        p.done().complete(purged);
        purged = 0;
      }
    } else {
      log.debug("{}: an entry failed: {}", name, failure.toString());
      sent.forEach(f -> f.completeExceptionally(failure));
      sentPurges.forEach(p -> p.done().completeExceptionally(failure));
    }
    synchronized (this) {
      inFlight = false;
      if (data.position() <= RESUME_BYTES) {
        flow.caughtUp();
      }
      if (failure != null && markInFlight) {
        markPending = true; // the leader waits for its mark: it is never lost
      }
      if (failure != null && c != null && client == c) {
        client = null; // a failed call closes the ordered client's window: a new client for the next
        closeQuietly(c);
      }
      sendIfIdle();
    }
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (java.io.IOException | RuntimeException e) {
      log.debug("closing a Raft client", e);
    }
  }

  /** No more entries; what waits is failed. */
  void close() {
    List<CompletableFuture<Void>> left;
    RaftClient c;
    synchronized (this) {
      closed = true;
      flow.caughtUp();
      left = publishes;
      publishes = new ArrayList<>();
      enqueued = 0;
      c = client;
      client = null;
    }
    left.forEach(f -> f.completeExceptionally(new IllegalStateException("the queue is closed")));
    if (c != null) {
      closeQuietly(c);
    }
  }
}
