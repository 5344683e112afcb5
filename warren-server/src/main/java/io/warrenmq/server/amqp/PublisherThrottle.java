package io.warrenmq.server.amqp;

import io.netty.channel.ChannelHandlerContext;
import io.warrenmq.amqp.method.ConnectionBlocked;
import io.warrenmq.amqp.method.ConnectionUnblocked;
import io.warrenmq.broker.alarm.ResourceAlarms;
import io.warrenmq.broker.alarm.ResourceAlarms.Resource;
import java.util.Set;
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
 * <p>Threading: confined to the connection's event loop; {@link #alarmsChanged} comes from the
 * monitor's thread and hops onto it.
 */
final class PublisherThrottle implements ResourceAlarms.Listener {
  private final AmqpConnectionHandler connection;
  private final ChannelHandlerContext ctx;
  private Set<Resource> blockedBy = Set.of();
  private boolean blocked;
  private boolean blockedSent;
  private long resumedAtNanos;

  PublisherThrottle(AmqpConnectionHandler connection, ChannelHandlerContext ctx) {
    this.connection = connection;
    this.ctx = ctx;
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
    ctx.channel().config().setAutoRead(true);
    if (blockedSent) {
      blockedSent = false;
      if (ctx.channel().isActive()) {
        connection.writeMethod(0, new ConnectionUnblocked());
        ctx.flush();
      }
    }
    ctx.read();
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
    return blockedBy.isEmpty() ? null : "blocking";
  }

  /**
   * Whether a reader-idle event must be ignored: while blocked nothing is read, and just after
   * resuming the client's heartbeats have yet to be read ({@code graceMs}).
   */
  boolean ignoreReaderIdle(long graceMs) {
    return blocked || System.nanoTime() - resumedAtNanos < graceMs * 1_000_000 && resumedAtNanos != 0;
  }
}
