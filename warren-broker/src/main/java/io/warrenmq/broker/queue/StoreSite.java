package io.warrenmq.broker.queue;

import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.store.queue.StoreOptions;
import java.nio.file.Path;

/**
 * What a vhost's classic queues of one kind (durable, or transient) share: the parent directory of
 * their store directories, the store options, the buffer allocator and the {@link QueueHost} they
 * call back into. One per vhost and kind, so that a queue holds one reference for all of it and an
 * idle queue needs only its directory's name besides to find its store. Immutable.
 */
public record StoreSite(Path parent, StoreOptions options, ByteBufAllocator alloc, QueueHost host) {}
