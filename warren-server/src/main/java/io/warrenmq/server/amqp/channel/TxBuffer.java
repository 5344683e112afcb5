package io.warrenmq.server.amqp.channel;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.method.BasicPublish;
import java.util.ArrayList;
import java.util.List;

/**
 * The uncommitted work of a transactional channel (AMQP 0-9-1 class tx): publishes, held as
 * copies until tx.commit, and acknowledgements, recorded and applied at commit in order.
 * tx.rollback drops both; the deliveries whose acks are dropped stay unacknowledged.
 *
 * <p>Buffers: the buffer owns the copies of properties and bodies until {@link #clear()}.
 * Threading: confined to the connection's event loop.
 */
final class TxBuffer {
  /** A publish waiting for commit; owns its buffers. */
  record Publish(BasicPublish method, ByteBuf properties, ByteBuf body) {}

  /** An acknowledgement waiting for commit. */
  record Settle(long tag, boolean multiple, Settlement.Op op) {}

  /** Both kinds, in the order the client sent them. */
  private final List<Object> work = new ArrayList<>();

  void publish(BasicPublish method, ByteBuf properties, ByteBuf body) {
    work.add(new Publish(method, properties.copy(), body.copy()));
  }

  void settle(long tag, boolean multiple, Settlement.Op op) {
    work.add(new Settle(tag, multiple, op));
  }

  /** The work in order; the caller releases nothing, {@link #clear()} does. */
  List<Object> work() {
    return work;
  }

  void clear() {
    for (Object o : work) {
      if (o instanceof Publish p) {
        p.properties().release();
        p.body().release();
      }
    }
    work.clear();
  }
}
