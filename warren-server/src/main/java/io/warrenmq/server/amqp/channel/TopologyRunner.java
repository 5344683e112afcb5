package io.warrenmq.server.amqp.channel;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.method.Method;

/**
 * Runs a channel's topology changes so that their replies keep the channel's order and go out
 * only once the definitions they wrote are durable: on the broker's blocking executor when they
 * may touch files, or at once on the event loop when they are in memory only. Meanwhile the
 * channel is suspended (frames that arrive wait).
 *
 * <p>Threading: called on the connection's event loop; the continuations run there too.
 */
final class TopologyRunner {
  private final AmqpChannel channel;
  private final Session session;

  TopologyRunner(AmqpChannel channel, Session session) {
    this.channel = channel;
    this.session = session;
  }

  /** What runs back on the event loop after the operation. */
  interface Continuation {
    void run();
  }

  /** An operation on the topology that may block on disk; returns what to do afterwards. */
  interface BlockingOperation {
    Continuation run();
  }

  /** A topology change tried on the event loop: false if it could not be done without waiting. */
  interface QuickOperation {
    boolean tryRun();
  }

  /**
   * Runs {@code op} on the broker's blocking executor (it may open or delete files, write
   * definitions), the channel suspended; once every definition written so far is durable, the
   * continuation runs on the event loop and the frames that waited are handled.
   */
  void runBlocking(Method method, BlockingOperation op) {
    channel.suspend();
    var executor = channel.sink().executor();
    session.broker().blockingExecutor().execute(() -> {
      Continuation then;
      try {
        then = op.run();
      } catch (AmqpException e) {
        AmqpException withIds = e.classId() == 0 ? e.withMethod(method.classId(), method.methodId()) : e;
        executor.execute(() -> channel.failSuspended(withIds));
        return;
      } catch (RuntimeException e) {
        executor.execute(() -> channel.failSuspended(e));
        return;
      }
      resumeWhenDurable(then);
    });
  }

  /**
   * Tries {@code quick} here on the event loop (an in-memory change); if it cannot be done without
   * disk work or waiting for a lock, runs {@code slow} as {@link #runBlocking} does. Either way
   * {@code then} runs once every definition written so far is durable: at once if nothing is
   * pending, else after the group commit, the channel suspended meanwhile.
   */
  void runQuickly(Method method, QuickOperation quick, Runnable slow, Continuation then) {
    if (!quick.tryRun()) {
      runBlocking(method, () -> {
        slow.run();
        return then;
      });
      return;
    }
    if (!session.broker().definitions().pending()) {
      then.run();
      return;
    }
    channel.suspend();
    resumeWhenDurable(then);
  }

  /** The channel is suspended: once the definitions are durable, {@code then} and resume. Any thread. */
  private void resumeWhenDurable(Continuation then) {
    var executor = channel.sink().executor();
    session.broker().definitions().whenDurable(
        () -> executor.execute(() -> {
          if (channel.isOpen()) {
            then.run();
          }
          channel.resume(null);
        }),
        e -> executor.execute(() -> channel.sink().fail(e)));
  }
}
