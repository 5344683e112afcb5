package io.warrenmq.broker.queue;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * What a queue needs from the vhost that holds it, so that {@code queue} never imports
 * {@code exchange}: publishing dead letters, removing itself when it expires (x-expires), a timer
 * and a thread that may block. Implemented by the vhost.
 */
public interface QueueHost {
  /**
   * Publishes {@code letters} of {@code from} to its dead-letter exchange {@code exchange}, with
   * {@code routingKey} or, when null, each message's own routing keys. Takes ownership of the
   * records. Called with no queue lock held.
   */
  void deadLetter(Queue from, String exchange, @Nullable String routingKey, List<DeadLetter> letters);

  /** The queue has been unused for its x-expires time: delete it. */
  void expired(Queue queue);

  /** Runs expiry, retry and x-expires timers (short tasks only). */
  ScheduledExecutorService timers();

  /** Runs work that may block on disk (removal of a deleted queue's files). */
  Executor blocking();
}
