package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBufAllocator;

/**
 * What a classic queue is made of once it is used: its {@link QueueStore} and the parts that work
 * on it (see {@link ClassicQueue}). A queue declared and never used holds none of this, only the
 * store directory it opened ({@code PreparedStore}): 100,000 idle queues would otherwise carry some
 * twenty objects each. The queue builds its parts under its lock, at its first publish, consumer
 * or basic.get (or at open, if its store holds messages or it has x-expires), in memory only, so
 * that an event loop may do it.
 *
 * <p>Threading: built under the owning queue's lock, then read-only; the parts themselves are
 * guarded by that lock.
 */
final class QueueParts {
  final QueueStore store;
  final ConsumerSet consumers;
  final QueueTimers timers;
  final Expiry expiry;
  final Retries retries;
  final Deduplication dedup;
  final Disposal disposal;
  final Dispatcher dispatcher;
  final QueueIntake intake;
  final QueueConsumers consumerSide;
  final QueueSettlement settlement;
  final QueueLifecycle lifecycle;
  final QueueFlow flow = new QueueFlow();

  QueueParts(ClassicQueue q, QueueStore store, ByteBufAllocator alloc, QueueHost host) {
    this.store = store;
    this.consumers = new ConsumerSet(q.settings().singleActiveConsumer());
    this.timers = new QueueTimers(q, host.timers());
    this.expiry = new Expiry(store, store.directory());
    this.retries = new Retries(store, store.directory());
    this.dedup = new Deduplication();
    this.disposal = new Disposal(store, alloc, expiry, dedup, q::settings, q::fail);
    this.dispatcher = new Dispatcher(q, store, alloc, consumers, expiry, disposal, q::settings, flow);
    this.intake = new QueueIntake(q, store, alloc, consumers, timers, expiry, dedup, disposal, dispatcher);
    this.consumerSide = new QueueConsumers(q, store, consumers, timers, disposal, dispatcher, flow);
    this.settlement = new QueueSettlement(q, store, timers, expiry, retries, disposal);
    this.lifecycle = new QueueLifecycle(q, store, host, consumers, timers, expiry, retries, dedup, flow);
  }
}
