package io.warrenmq.server.amqp.channel;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.method.BasicPublish;
import java.util.ArrayList;
import java.util.List;

/**
 * The uncommitted publishes of a transactional channel (AMQP 0-9-1 class tx), held as copies until
 * tx.commit routes them; tx.rollback drops them. (The acknowledgements of a transaction are held
 * by the channel's {@link UnackedTracker}.)
 *
 * <p>Buffers: the buffer owns the copies of properties and bodies until {@link #clear()}.
 * Threading: confined to the connection's event loop.
 */
final class TxBuffer {
  /** A publish waiting for commit; owns its buffers. */
  record Publish(BasicPublish method, ByteBuf properties, ByteBuf body) {}

  /** In the order the client sent them. */
  private final List<Publish> publishes = new ArrayList<>();

  void publish(BasicPublish method, ByteBuf properties, ByteBuf body) {
    publishes.add(new Publish(method, properties.copy(), body.copy()));
  }

  /** The publishes in order; the caller releases nothing, {@link #clear()} does. */
  List<Publish> publishes() {
    return publishes;
  }

  /** The number of publishes waiting; from any thread (possibly stale). */
  int size() {
    return publishes.size();
  }

  void clear() {
    for (Publish p : publishes) {
      p.properties().release();
      p.body().release();
    }
    publishes.clear();
  }
}
