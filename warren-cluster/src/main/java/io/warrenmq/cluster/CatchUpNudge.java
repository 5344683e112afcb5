package io.warrenmq.cluster;

import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a follower of the metadata log going again when it has stopped catching up. Found by the
 * cluster harness: after a partition healed, the leader's Ratis appender for the healed node
 * (which had led before and kept entries of its own term) held a match index beyond that node's
 * log, and sent only heartbeats whose previous entry the node lacked; nothing changed until the
 * leader had a new entry to send, whose rejection resets the appender. So a node that knows a
 * leader, has not applied what the leader committed, and applied nothing for two checks in a row
 * replicates a harmless entry (its announcement again).
 *
 * <p>Threading: its own virtual thread, one check every {@link #PERIOD_MS}.
 */
final class CatchUpNudge {
  private static final Logger log = LoggerFactory.getLogger(CatchUpNudge.class);
  static final long PERIOD_MS = 2_000;

  private final Supplier<ClusterStatus> status;
  private final LongSupplier lastApplied;
  private final Runnable nudge;
  private final Thread thread;

  /**
   * @param status this node's view (knows a leader, caught up)
   * @param lastApplied the index this node applied last
   * @param nudge replicates a harmless entry (blocks until applied or timed out)
   */
  CatchUpNudge(Supplier<ClusterStatus> status, LongSupplier lastApplied, Runnable nudge) {
    this.status = status;
    this.lastApplied = lastApplied;
    this.nudge = nudge;
    this.thread = Thread.ofVirtual().name("warren-metadata-nudge").unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  void stop() {
    thread.interrupt();
  }

  private void run() {
    long seen = -1;
    int stalled = 0;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
      try {
        ClusterStatus s = status.get();
        long applied = lastApplied.getAsLong();
        boolean behind = s.leader() != null && !s.caughtUp();
        stalled = behind && applied == seen ? stalled + 1 : 0;
        seen = applied;
        if (stalled >= 2) {
          log.info("cluster: this node has applied nothing of the metadata log for {} s while behind the leader; "
              + "replicating an entry to get its leader sending again", stalled * PERIOD_MS / 1000);
          nudge.run();
          stalled = 0;
        }
      } catch (RuntimeException e) {
        log.debug("cluster: catch-up check: {}", e.toString());
      }
    }
  }
}
