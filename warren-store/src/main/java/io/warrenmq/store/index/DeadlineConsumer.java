package io.warrenmq.store.index;

/** Receives the entries {@link DeadlineIndex#pollDue} takes out, in deadline order. */
@FunctionalInterface
public interface DeadlineConsumer {

  /**
   * One entry, already removed from the index (if this throws, the entry is lost and the poll
   * stops). May {@link DeadlineIndex#add add} to the index, not poll, clear or close it.
   */
  void accept(long deadline, long value);
}
