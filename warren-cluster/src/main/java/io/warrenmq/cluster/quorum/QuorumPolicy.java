package io.warrenmq.cluster.quorum;

import io.warrenmq.broker.policy.EffectiveArguments;

/**
 * A quorum queue's settings as this node last resolved them (its arguments with its policies),
 * and the leader's x-expires clock. The limits that change the replicated state are not applied
 * here: the leader logs them ({@link QuorumState.Config}); the others are read where they are
 * used: message-ttl by the node that takes a publish, the dead-letter exchange by the leader.
 *
 * <p>Threading: the settings are read anywhere; the clock is guarded by the queue's lock.
 */
final class QuorumPolicy {
  private volatile EffectiveArguments effective;
  /** message-ttl, resolved once per change: every publish reads it. */
  private volatile long messageTtl;
  /** When the leader last saw the queue used: a consumer, a basic.get, its taking the lead. */
  private long lastUsed = System.currentTimeMillis();
  private boolean expiring;

  QuorumPolicy(EffectiveArguments effective) {
    changed(effective);
  }

  EffectiveArguments effective() {
    return effective;
  }

  /** The policies changed. */
  void changed(EffectiveArguments now) {
    effective = now;
    messageTtl = now.getLong("message-ttl", -1);
  }

  /** The limits the state should apply: max-length, overflow, delivery-limit. */
  QuorumState.Config limits() {
    return QuorumState.Config.of(effective);
  }

  /** message-ttl in ms, negative for none. */
  long messageTtl() {
    return messageTtl;
  }

  /** Under the queue's lock: the queue was used now (x-expires counts from here). */
  void used() {
    lastUsed = System.currentTimeMillis();
  }

  /**
   * Under the queue's lock, on the leader, every second: whether the queue has had no consumer
   * and no basic.get for longer than its expires (x-expires or policy); true once.
   */
  boolean unusedTooLong(boolean consumers) {
    long expires = effective.getLong("expires", -1);
    if (expires <= 0 || expiring || consumers) {
      used(); // a consumer keeps it in use; the time runs from the last one's leaving
      return false;
    }
    if (System.currentTimeMillis() - lastUsed < expires) {
      return false;
    }
    expiring = true;
    return true;
  }
}
