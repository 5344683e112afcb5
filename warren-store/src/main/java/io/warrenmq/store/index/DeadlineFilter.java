package io.warrenmq.store.index;

/**
 * Tells a {@link DeadlineIndex} which entries are still wanted when it rewrites them (a full
 * memory heap, a spill, a merge), so that stale entries do not pile up until their deadline: for
 * a queue's TTL index, "is the message at this position still ready". Called on the thread that
 * calls {@code add}; must not call the index.
 */
@FunctionalInterface
public interface DeadlineFilter {

  /** Keeps every entry until it is polled. */
  DeadlineFilter KEEP_ALL = (deadline, value) -> true;

  /** Whether the entry is still wanted; false drops it without handing it out. */
  boolean keep(long deadline, long value);
}
