package io.warrenmq.broker.queue;

/** What a queue did with a published message; decides the publisher confirm. */
public enum EnqueueResult {
  /** Stored; nothing to wait for before confirming (transient message or non-durable queue). */
  STORED,
  /** Stored persistently: confirm only after the queue's store has been forced to disk. */
  STORED_DURABLE,
  /** Not stored and nobody needs to know (the queue was deleted meanwhile). */
  DROPPED,
  /** Refused: the publisher gets basic.nack if it uses confirms (store failure, overflow). */
  REJECTED
}
