package io.warrenmq.broker.exchange;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.ArgumentTypes;
import io.warrenmq.store.log.RecordLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchange-level message deduplication, with the arguments of RabbitMQ's deduplication plugin: an
 * exchange of the plugin's type {@code x-message-deduplication} (fanout routing; x-cache-size
 * required), or of any type declared with {@code x-message-deduplication = true}, drops a message whose
 * {@code x-deduplication-header} id it has seen within {@code x-cache-ttl} ms (default: forever),
 * remembering at most {@code x-cache-size} ids (default 100,000; oldest forgotten first). A
 * message may set its own window with {@code x-cache-ttl}. For a durable exchange the seen ids
 * are logged next to its definition and reloaded at start, so the window survives a restart
 * (WarrenMQ's lead: the plugin keeps it in memory unless told otherwise).
 *
 * <p>Threading: thread-safe (the cache's monitor); log compaction runs on the blocking executor.
 */
public final class ExchangeDeduplication implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExchangeDeduplication.class);

  private final long maxSize;
  private final long ttl;
  private final @Nullable RecordLog idLog;
  private final Executor blocking;
  /** id -> expiry (epoch ms, Long.MAX_VALUE = never), in insertion order. */
  private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
  private long appendsSinceRewrite;
  private boolean compacting;

  private ExchangeDeduplication(long maxSize, long ttl, @Nullable RecordLog idLog, Executor blocking) {
    this.maxSize = maxSize;
    this.ttl = ttl;
    this.idLog = idLog;
    this.blocking = blocking;
  }

  /** The exchange type of the rabbitmq-message-deduplication plugin. */
  public static final String PLUGIN_TYPE = "x-message-deduplication";

  private static final String CACHE_SIZE_ERROR = "Missing or invalid argument, 'x-cache-size' must be an integer"
      + " greater than 0";

  /** Whether the exchange deduplicates: the plugin's type, or any type with the argument. */
  public static boolean wanted(ExchangeSpec spec) {
    return spec.type().equals(PLUGIN_TYPE) || Boolean.TRUE.equals(spec.arguments().getBoolean("x-message-deduplication"));
  }

  /**
   * The plugin's checks of its exchange's arguments (validate/1): x-cache-size a positive integer
   * (or a string of one), x-cache-ttl likewise if present, x-cache-persistence disk or memory.
   * Throws 406 PRECONDITION_FAILED with the plugin's texts (without the indentation its Elixir
   * line continuations leave in them).
   */
  static void validatePluginType(FieldTable args) {
    if (!positive(args.get("x-cache-size"))) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, CACHE_SIZE_ERROR);
    }
    if (args.containsKey("x-cache-ttl") && !positive(args.get("x-cache-ttl"))) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "Invalid argument, 'x-cache-ttl' must be an integer greater than 0");
    }
    String persistence = args.getString("x-cache-persistence");
    if (args.containsKey("x-cache-persistence") && !"disk".equals(persistence) && !"memory".equals(persistence)) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "Invalid argument, 'x-cache-persistence' must be either 'disk' or 'memory'");
    }
  }

  private static boolean positive(@Nullable Object v) {
    Long n = number(v);
    return n != null && n > 0;
  }

  /** An integer argument, or a string of one (the plugin parses strings); null otherwise. */
  private static @Nullable Long number(@Nullable Object v) {
    if (v != null && ArgumentTypes.isInteger(v)) {
      return ArgumentTypes.longValue(v);
    }
    if (v instanceof LongString || v instanceof String) {
      try {
        return Long.parseLong(v.toString());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * Creates the cache; with a {@code logFile} (durable exchange) it reloads the ids still within
   * their window. Blocks on disk.
   */
  public static ExchangeDeduplication open(FieldTable args, @Nullable Path logFile, Executor blocking) throws IOException {
    Long size = number(args.get("x-cache-size"));
    Long ttl = number(args.get("x-cache-ttl"));
    long max = size != null ? Math.max(1, size) : 100_000;
    long t = ttl != null ? ttl : -1;
    RecordLog l = logFile == null ? null : RecordLog.open(logFile);
    ExchangeDeduplication d = new ExchangeDeduplication(max, t, l, blocking);
    if (l != null) {
      long now = System.currentTimeMillis();
      for (byte[] r : l.records()) {
        ByteBuffer b = ByteBuffer.wrap(r);
        long expiry = b.getLong();
        String id = new String(r, 8, r.length - 8, StandardCharsets.UTF_8);
        if (expiry > now) {
          d.remember(id, expiry);
        }
      }
      l.rewrite(d.records());
    }
    return d;
  }

  /**
   * True if the message is a duplicate (to be dropped); otherwise remembers its id. Messages
   * without the header are never duplicates.
   */
  public boolean isDuplicate(Message m) {
    if (!m.summary().hasHeaders()) {
      return false;
    }
    FieldTable h = m.properties().headers();
    Object idValue = h == null ? null : h.get("x-deduplication-header");
    if (idValue == null) {
      return false;
    }
    String id = idValue.toString();
    Long own = number(h.get("x-cache-ttl"));
    long window = own != null ? own : ttl;
    long now = System.currentTimeMillis();
    long expiry = window >= 0 ? now + window : Long.MAX_VALUE;
    synchronized (this) {
      Long seenUntil = seen.get(id);
      if (seenUntil != null && seenUntil > now) {
        return true;
      }
      remember(id, expiry);
      if (idLog != null) {
        try {
          idLog.append(record(id, expiry));
          if (++appendsSinceRewrite > 2 * maxSize && !compacting) {
            compacting = true;
            blocking.execute(this::compact);
          }
        } catch (IOException e) {
          log.warn("could not log a deduplication id: {}", e.toString());
        }
      }
      return false;
    }
  }

  private void remember(String id, long expiry) {
    seen.remove(id);
    seen.put(id, expiry);
    Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
    while (seen.size() > maxSize && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  private synchronized List<byte[]> records() {
    List<byte[]> out = new ArrayList<>(seen.size());
    seen.forEach((id, exp) -> out.add(record(id, exp)));
    return out;
  }

  private static byte[] record(String id, long expiry) {
    byte[] idb = id.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + idb.length).putLong(expiry).put(idb).array();
  }

  private void compact() {
    try {
      synchronized (this) {
        if (idLog != null) {
          idLog.rewrite(records());
        }
        appendsSinceRewrite = 0;
      }
    } catch (IOException e) {
      log.warn("could not compact the deduplication log: {}", e.toString());
    } finally {
      synchronized (this) {
        compacting = false;
      }
    }
  }

  public synchronized int size() {
    return seen.size();
  }

  @Override
  public void close() throws IOException {
    if (idLog != null) {
      idLog.force();
      idLog.close();
    }
  }

  /** Removes the log (the exchange was deleted). */
  public void delete() throws IOException {
    if (idLog != null) {
      idLog.close();
      java.nio.file.Files.deleteIfExists(idLog.file());
    }
  }
}
