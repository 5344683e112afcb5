package io.warrenmq.broker.queue;

import io.warrenmq.store.queue.StoreOptions;
import java.nio.file.Path;

/**
 * Where a vhost's classic queues of one kind (durable, or transient) keep their stores: the
 * parent directory of their store directories and the store options they share. One per vhost and
 * kind, so that an idle queue needs only its directory's name to find its store. Immutable.
 */
public record StoreSite(Path parent, StoreOptions options) {}
