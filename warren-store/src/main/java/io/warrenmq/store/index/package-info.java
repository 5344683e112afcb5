/**
 * Indexes that a queue keeps beside its {@code MessageStore}, bounded on the heap however many
 * messages they cover: {@link io.warrenmq.store.index.DeadlineIndex}, a set of (deadline, value)
 * entries handed out in deadline order (message TTL, delayed messages, retry back-off), which keeps
 * the most recent entries in a primitive heap and spills the rest to sorted run files. Not durable:
 * the owner rebuilds it from the store after a restart. May depend on the JDK only.
 */
@org.jspecify.annotations.NullMarked
package io.warrenmq.store.index;
