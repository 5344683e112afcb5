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

  /** {@link #await} for this runner's channel. */
  <T> void runAsync(Method method, java.util.concurrent.CompletableFuture<T> answer, java.util.function.Consumer<T> then) {
    await(channel, method, answer, then, v -> { });
  }

  /**
   * Waits for {@code answer} (from another node) with {@code channel} suspended, then runs {@code
   * then} with it on the event loop, or {@code ifClosed} if the channel closed meanwhile; a
   * failure closes the channel with its error.
   */
  static <T> void await(AmqpChannel channel, Method method, java.util.concurrent.CompletableFuture<T> answer,
      java.util.function.Consumer<T> then, java.util.function.Consumer<T> ifClosed) {
    channel.suspend();
    var executor = channel.sink().executor();
    answer.whenComplete((value, e) -> executor.execute(() -> {
      if (e != null) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        AmqpException a = cause instanceof AmqpException x ? x
            : AmqpException.channelError(io.warrenmq.amqp.ReplyCode.INTERNAL_ERROR, "%s", cause.getMessage());
        channel.failSuspended(a.classId() == 0 ? a.withMethod(method.classId(), method.methodId()) : a);
        return;
      }
      if (channel.isOpen()) {
        then.accept(value);
      } else {
        ifClosed.accept(value);
      }
      channel.resume(null);
    }));
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
