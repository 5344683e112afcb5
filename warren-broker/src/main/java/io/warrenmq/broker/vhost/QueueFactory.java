package io.warrenmq.broker.vhost;

import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.broker.policy.EffectiveArguments;
import io.warrenmq.broker.policy.Policies;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.queue.ClassicQueue;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueHost;
import io.warrenmq.broker.queue.QueueSettings;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.queue.StoreSite;
import io.warrenmq.store.queue.StoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Makes the queues of one vhost: server-generated names, the store directory of a queue (durable
 * or transient), the opening of its {@link ClassicQueue}, and its effective settings (its
 * arguments with the policies that match it).
 *
 * <p>Threading: holds no mutable state of its own. {@link #open} opens (and, if durable,
 * recovers) the queue's store, so it blocks on disk; the {@link QueueRegistry} calls it under the
 * vhost's lock. {@link #settingsOf} and {@link #generateName} run on any thread.
 */
final class QueueFactory {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String vhost;
  /** Where the vhost's durable and transient queues keep their stores, and what they share. */
  private final StoreSite durableSite;
  private final StoreSite transientSite;
  private final Policies policies;
  private final QueueHost host;

  /**
   * @param durableDir where durable queues keep their segment files
   * @param transientDir where non-durable queues keep theirs (emptied at every boot)
   * @param host what the queues call back into: the vhost
   */
  QueueFactory(
      String vhost,
      Path durableDir,
      Path transientDir,
      StoreOptions storeOptions,
      ByteBufAllocator alloc,
      Policies policies,
      QueueHost host) {
    this.vhost = vhost;
    this.durableSite = new StoreSite(durableDir, storeOptions.withDurable(true), alloc, host);
    this.transientSite = new StoreSite(transientDir, storeOptions.withDurable(false), alloc, host);
    this.policies = policies;
    this.host = host;
  }
  /** What the queues call back into (the vhost). */
  QueueHost host() {
    return host;
  }


  /** RabbitMQ's server-named queues: "amq.gen-" and 22 characters of url-safe base64. */
  static String generateName() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return "amq.gen-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static QueueSpec withName(QueueSpec s, String n) {
    return new QueueSpec(s.vhost(), n, s.durable(), s.exclusive(), s.autoDelete(), s.arguments());
  }

  /**
   * Opens the queue's store in {@code dirName} under the durable or transient directory (blocks
   * on disk); {@code owner} is the connection of an exclusive queue.
   */
  Queue open(QueueSpec spec, @Nullable Object owner, String dirName) {
    try {
      return ClassicQueue.open(spec, spec.durable() ? durableSite : transientSite, dirName, owner, settingsOf(spec));
    } catch (IOException e) {
      throw new UncheckedIOException("could not open the store of " + spec.resource(), e);
    }
  }

  /** The arguments of a queue of {@code kind} combined with the policies that match it now. */
  EffectiveArguments effectiveOf(QueueSpec spec, Policy.Kind kind) {
    return policies.resolve(vhost, kind, spec.name(), spec.arguments());
  }

  /** The queue's effective settings: its arguments with the policies that match it. */
  QueueSettings settingsOf(QueueSpec spec) {
    EffectiveArguments a = effectiveOf(spec, Policy.Kind.QUEUE);
    Long prio = spec.arguments().getLong("x-max-priority");
    return QueueSettings.resolve(a, prio == null ? 0 : (int) Math.min(255, Math.max(0, prio)),
        Boolean.TRUE.equals(spec.arguments().getBoolean("x-single-active-consumer")));
  }
}
