package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Envelope;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.EnqueueResult;
import io.warrenmq.broker.queue.Queue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a queue's ready messages to another queue of the vhost, oldest first: what RabbitMQ's UI
 * does with a shovel ("Move messages", src-delete-after queue-length), done by the broker itself.
 * Messages go in batches: each is taken from the source as a basic.get with manual ack would take
 * it, stored in the destination with its exchange, routing keys and properties (not marked
 * redelivered there), and only once the destination's store has been forced to disk (when any of
 * them was stored durably) are they acked in the source: a crash in between leaves a copy in both,
 * never in neither (a shovel's at-least-once). What the destination refuses (its length limit
 * with reject-publish, a store failure) goes back to the source, and the move stops there.
 *
 * <p>Threading: blocks (the destination's fsync); call it from a blocking thread.
 */
final class MessageMover {
  static final int BATCH = 256;

  private MessageMover() {}

  /** Moves at most {@code max} messages; returns how many moved. */
  static long move(Queue from, Queue to, long max) {
    if (from == to) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "cannot move the messages of %s to itself", from.spec().resource());
    }
    long moved = 0;
    while (moved < max) {
      int asked = (int) Math.min(BATCH, max - moved);
      int n = moveBatch(from, to, asked);
      moved += n;
      if (n < asked) {
        break;
      }
    }
    return moved;
  }

  /** One batch; returns how many moved (fewer than {@code n}: the source ran empty or the destination refused). */
  private static int moveBatch(Queue from, Queue to, int n) {
    List<Delivery> taken = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Delivery d = from.get(false);
      if (d == null) {
        break;
      }
      taken.add(d);
    }
    int stored = 0;
    boolean durable = false;
    try {
      for (Delivery d : taken) {
        EnqueueResult r = store(to, d);
        if (r == EnqueueResult.REJECTED || r == EnqueueResult.DROPPED) {
          break;
        }
        durable |= r == EnqueueResult.STORED_DURABLE;
        stored++;
      }
      if (durable) {
        to.syncTarget().force();
      }
    } catch (IOException e) {
      settle(from, taken, 0);
      throw new UncheckedIOException("moving messages to " + to.spec().resource(), e);
    } catch (RuntimeException e) {
      settle(from, taken, 0);
      throw e;
    }
    settle(from, taken, stored);
    return stored;
  }

  private static EnqueueResult store(Queue to, Delivery d) {
    Envelope e = d.envelope();
    Message m = new Message(e.exchange(), e.routingKey(), e.properties(), e.body(), System.currentTimeMillis());
    if (e.routing() != null) {
      m.withRouting(e.routing());
    }
    try {
      return to.enqueue(m);
    } finally {
      m.release();
    }
  }

  /** The first {@code acked} deliveries are done in the source; the rest go back to it. */
  private static void settle(Queue from, List<Delivery> taken, int acked) {
    long[] positions = new long[taken.size()];
    for (int i = 0; i < taken.size(); i++) {
      positions[i] = taken.get(i).position();
    }
    if (acked > 0) {
      from.ack(null, positions, acked);
    }
    if (acked < taken.size()) {
      long[] rest = java.util.Arrays.copyOfRange(positions, acked, positions.length);
      from.requeue(null, rest, rest.length);
    }
    for (Delivery d : taken) {
      d.release();
    }
  }
}
