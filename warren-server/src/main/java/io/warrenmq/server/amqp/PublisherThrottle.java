package io.warrenmq.server.amqp;

import io.netty.channel.ChannelHandlerContext;
import io.warrenmq.amqp.method.ConnectionBlocked;
import io.warrenmq.amqp.method.ConnectionUnblocked;
import io.warrenmq.broker.alarm.ResourceAlarms;
import io.warrenmq.broker.alarm.ResourceAlarms.Resource;
import io.warrenmq.broker.queue.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One connection's publisher blocking under resource alarms, as rabbit_reader's throttle: while
 * an alarm is in effect the connection is "blocking"; the first content frame it then receives
 * (a publish) makes it "blocked": the socket is no longer read (Netty autoRead off, so TCP
 * pushes back on the client), and a client that announced the {@code connection.blocked}
 * capability gets {@code connection.blocked} with RabbitMQ's reason ("low on memory", "low on
 * disk", "low on memory & disk"). Once every alarm has cleared, reading resumes and such a client
 * gets {@code connection.unblocked}. A connection that does not publish (a consumer) keeps being
 * read: it drains the queues that the alarm is about. While blocked, missed client heartbeats do
 * not close the connection (rabbit_heartbeat:pause_monitor): nothing is read, so none can be seen.
 *
 * <p>Per-queue back-pressure, in the spirit of RabbitMQ's credit flow: a publish to a queue whose
 * consumers cannot keep up ({@link io.warrenmq.broker.queue.QueueFlow#behind()}) stops the socket being read ({@link #flow}) until
 * the queue wakes the connection, having delivered its backlog down, or {@link #FLOW_MAX_PAUSE_MS}
 * passed (then one more read's worth of frames is handled: a publisher is slowed to its queue's
 * pace, never stopped for good by a consumer that stopped reading). The connection shows state
 * "flow" meanwhile and for 5 s after, as rabbit_reader does. An alarm's block wins over it.
 *
 * <p>Threading: confined to the connection's event loop; {@link #alarmsChanged} comes from the
 * monitor's thread and the queue's wake-up from a dispatching thread: both hop onto it.
 */
final class PublisherThrottle implements ResourceAlarms.Listener {
  /** The longest a publisher waits for a queue that is behind before it reads once more. */
  static final long FLOW_MAX_PAUSE_MS = 1000;
  /** How long the connection shows as "flow" after a pause (rabbit_reader's 5 s). */
  private static final long FLOW_STATE_NANOS = 5_000_000_000L;

  private final AmqpConnectionHandler connection;
  private final ChannelHandlerContext ctx;
  private Set<Resource> blockedBy = Set.of();
  private boolean blocked;
  private boolean blockedSent;
  private long resumedAtNanos;
  /** Not reading because a queue is behind; the pause's number (a stale timer ends no later one). */
  private boolean flowPaused;
  private long flowPauses;
  private long lastFlowNanos;
  /** The queue holding {@link #wake} (not yet run): a new pause on it needs no new registration. */
  private @Nullable Queue wakeRegisteredWith;
  private final Runnable wake;

  PublisherThrottle(AmqpConnectionHandler connection, ChannelHandlerContext ctx) {
    this.connection = connection;
    this.ctx = ctx;
    this.wake = () -> ctx.executor().execute(this::woken);
  }

  /** The connection is open: hears the alarms from now on, starting from those in effect. */
  void start(ResourceAlarms alarms) {
    alarms.subscribe(this);
    blockedBy = alarms.active();
  }

  void stop(ResourceAlarms alarms) {
    alarms.unsubscribe(this);
  }

  @Override
  public void alarmsChanged(Set<Resource> active) {
    ctx.executor().execute(() -> apply(active));
  }

  private void apply(Set<Resource> active) {
    blockedBy = active;
    if (active.isEmpty() && blocked) {
      resume();
    }
  }

  /** A content frame (a publish) was received: blocks if an alarm is in effect. Event loop. */
  void publishReceived() {
    if (blocked || blockedBy.isEmpty() || !ctx.channel().isActive()) {
      return;
    }
    blocked = true;
    ctx.channel().config().setAutoRead(false);
    if (!blockedSent && connection.handshake().capability("connection.blocked")) {
      blockedSent = true;
      connection.writeMethod(0, new ConnectionBlocked(reason(blockedBy)));
      ctx.flush();
    }
  }

  private void resume() {
    blocked = false;
    resumedAtNanos = System.nanoTime();
    if (blockedSent) {
      blockedSent = false;
      if (ctx.channel().isActive()) {
        connection.writeMethod(0, new ConnectionUnblocked());
        ctx.flush();
      }
    }
    if (!flowPaused) { // else the flow pause's end reads again
      read();
    }
  }

  /** A publish went to {@code q}, which is behind: stops reading until it catches up. Event loop. */
  void flow(Queue q) {
    if (flowPaused || !ctx.channel().isActive()) {
      return;
    }
    if (wakeRegisteredWith != q) {
      if (!q.flow().awaitCaughtUp(wake)) {
        return; // caught up already
      }
      wakeRegisteredWith = q;
    }
    flowPaused = true;
    lastFlowNanos = System.nanoTime();
    long pause = ++flowPauses;
    ctx.channel().config().setAutoRead(false);
    ctx.executor().schedule(() -> {
      if (flowPaused && flowPauses == pause) {
        endFlow();
      }
    }, FLOW_MAX_PAUSE_MS, TimeUnit.MILLISECONDS);
  }

  /** The queue that held {@link #wake} caught up. */
  private void woken() {
    wakeRegisteredWith = null;
    if (flowPaused) {
      endFlow();
    }
  }

  private void endFlow() {
    flowPaused = false;
    resumedAtNanos = lastFlowNanos = System.nanoTime();
    if (!blocked) {
      read();
    }
  }

  private void read() {
    if (ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
      ctx.read();
    }
  }

  /** rabbit_reader:blocked_by_message: "low on memory", "low on disk", "low on memory & disk". */
  static String reason(Set<Resource> by) {
    return "low on " + by.stream().sorted().map(Resource::rabbitName).collect(Collectors.joining(" & "));
  }

  /** Whether the socket is not being read because of an alarm. */
  boolean blocked() {
    return blocked;
  }

  /** rabbit_reader's connection state under the throttle: "blocked", "blocking", or null (running). */
  @Nullable String stateOrNull() {
    if (blocked) {
      return "blocked";
    }
    if (!blockedBy.isEmpty()) {
      return "blocking";
    }
    // rabbit_reader: throttled by credit flow now or in the last 5 s (lastFlowNanos, a plain
    // field read from another thread: a stale value shows the state a moment late)
    return flowPaused || lastFlowNanos != 0 && System.nanoTime() - lastFlowNanos < FLOW_STATE_NANOS ? "flow" : null;
  }

  /**
   * Whether a reader-idle event must be ignored: while blocked nothing is read, and just after
   * resuming the client's heartbeats have yet to be read ({@code graceMs}).
   */
  boolean ignoreReaderIdle(long graceMs) {
    return blocked || flowPaused || System.nanoTime() - resumedAtNanos < graceMs * 1_000_000 && resumedAtNanos != 0;
  }
}
