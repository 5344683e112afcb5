package io.warrenmq.broker.queue;

import io.warrenmq.broker.message.StoredRecords;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Queue-level message deduplication (the x-message-deduplication argument of RabbitMQ's
 * deduplication plugin): a message whose {@code x-deduplication-header} id belongs to a message
 * still in the queue is dropped. The ids of the messages in the queue are kept, at most
 * {@code x-cache-size} of them (oldest forgotten first), and rebuilt from the stored messages
 * after a restart, so deduplication survives restarts.
 *
 * <p>Threading: guarded by the owning queue's lock.
 */
final class Deduplication {
  // created at the first id: most queues never deduplicate
  private @Nullable LinkedHashMap<String, Long> byId;
  private @Nullable Map<Long, String> byPosition;

  /** The message's deduplication id: its {@code x-deduplication-header} header as a string. */
  static @Nullable String idOf(io.warrenmq.broker.message.Message m) {
    if (!m.summary().hasHeaders()) {
      return null;
    }
    var h = m.properties().headers();
    Object v = h == null ? null : h.get("x-deduplication-header");
    return v == null ? null : v.toString();
  }

  boolean contains(String id) {
    return byId != null && byId.containsKey(id);
  }

  void add(String id, long pos, long max) {
    LinkedHashMap<String, Long> byId = this.byId;
    Map<Long, String> byPosition = this.byPosition;
    if (byId == null || byPosition == null) {
      this.byId = byId = new LinkedHashMap<>();
      this.byPosition = byPosition = new HashMap<>();
    }
    byId.put(id, pos);
    byPosition.put(pos, id);
    Iterator<Map.Entry<String, Long>> it = byId.entrySet().iterator();
    while (byId.size() > max && it.hasNext()) {
      Map.Entry<String, Long> e = it.next();
      byPosition.remove(e.getValue());
      it.remove();
    }
  }

  /** The message at {@code pos} left the queue. */
  void removePosition(long pos) {
    if (byId == null || byPosition == null) {
      return;
    }
    String id = byPosition.remove(pos);
    if (id != null) {
      byId.remove(id);
    }
  }

  void clear() {
    byId = null;
    byPosition = null;
  }

  /** Rebuilds the ids from the ready messages (after a restart). */
  void recover(QueueStore store, long max) {
    store.scanReady(Integer.MAX_VALUE, (pos, payload) -> {
      @Nullable String id = StoredRecords.header(payload, "x-deduplication-header");
      if (id != null) {
        add(id, pos, max);
      }
      return true;
    });
  }
}
